import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { profileApiRef } from '../../api';
import { ProfileForm } from './ProfileForm';

/** The profile page body, shared by both frontend systems. */
export const ProfilePageContent = () => {
  const profileApi = useApi(profileApiRef);
  const { value, loading, error } = useAsync(
    () => profileApi.getMyProfile(),
    [profileApi],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (value) {
    body = (
      <InfoCard
        title="Your profile"
        subheader="Shown on the pages of the datasets and services you own"
      >
        <ProfileForm
          profile={value}
          onSave={request => profileApi.updateMyProfile(request)}
        />
      </InfoCard>
    );
  }
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} lg={8}>
          {body}
        </Grid>
      </Grid>
    </Content>
  );
};

/** The profile page for apps on the legacy frontend system. */
export const ProfilePage = () => (
  <Page themeId="tool">
    <Header title="My profile" subtitle="What others see of you on DataFlex" />
    <ProfilePageContent />
  </Page>
);
