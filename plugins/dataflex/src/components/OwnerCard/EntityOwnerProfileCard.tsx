import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import {
  OwnerProfiles,
  PublicProfile,
} from '@dataflex/backstage-plugin-dataflex-common';
import { Fragment } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { profileApiRef } from '../../api';

/**
 * The entity's owners: from its `ownedBy` relations, or from `spec.owner`
 * while the catalog has not processed them yet.
 */
function ownerRefs(entity: Entity): string[] {
  const related = getEntityRelations(entity, RELATION_OWNED_BY).map(ref =>
    stringifyEntityRef(ref),
  );
  if (related.length > 0) {
    return related;
  }
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    return [];
  }
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
        }),
      ),
    ];
  } catch {
    return [];
  }
}

const ProfileEntry = ({ profile }: { profile: PublicProfile }) => (
  <Box py={1} data-testid="owner-profile">
    <Typography variant="subtitle1" component="h3">
      <EntityRefLink
        entityRef={profile.userEntityRef}
        title={
          profile.displayName ?? parseEntityRef(profile.userEntityRef).name
        }
      />
    </Typography>
    {profile.organization && (
      <Typography variant="body2" color="textSecondary">
        {profile.organization}
      </Typography>
    )}
    {profile.bio && (
      <Box mt={1}>
        <Typography variant="body2" style={{ whiteSpace: 'pre-line' }}>
          {profile.bio}
        </Typography>
      </Box>
    )}
    {profile.skills && profile.skills.length > 0 && (
      <Box mt={1} role="list" aria-label="Skills">
        {profile.skills.map(skill => (
          <Box
            key={skill}
            component="span"
            role="listitem"
            mr={1}
            display="inline-block"
          >
            <Chip size="small" label={skill} />
          </Box>
        ))}
      </Box>
    )}
  </Box>
);

const OwnerSection = ({ owner }: { owner: OwnerProfiles }) => (
  <Box mb={2}>
    <Typography variant="overline" component="h2">
      <EntityRefLink entityRef={owner.owner} />
    </Typography>
    {owner.items.length === 0 ? (
      <Typography variant="body2" color="textSecondary">
        No members to show.
      </Typography>
    ) : (
      owner.items.map((profile, i) => (
        <Fragment key={profile.userEntityRef}>
          {i > 0 && <Divider />}
          <ProfileEntry profile={profile} />
        </Fragment>
      ))
    )}
    {owner.truncated && (
      <Typography variant="caption" color="textSecondary">
        Showing the first {owner.items.length} members.
      </Typography>
    )}
  </Box>
);

/**
 * The people behind an entity's owner: the owning user, or the members of
 * the owning group, with what each of them made public in their profile.
 *
 * @public
 */
export const EntityOwnerProfileCard = () => {
  const { entity } = useEntity();
  const profileApi = useApi(profileApiRef);
  const owners = ownerRefs(entity);
  const { value, loading, error } = useAsync(
    () => Promise.all(owners.map(owner => profileApi.getOwnerProfiles(owner))),
    [profileApi, owners.join(' ')],
  );

  let body;
  if (owners.length === 0) {
    body = (
      <EmptyState
        missing="field"
        title="No owner"
        description="This entity names no owner in the catalog."
      />
    );
  } else if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    body = (value ?? []).map(owner => (
      <OwnerSection key={owner.owner} owner={owner} />
    ));
  }
  return (
    <InfoCard title={owners.length > 1 ? 'Owners' : 'Owner'}>{body}</InfoCard>
  );
};
