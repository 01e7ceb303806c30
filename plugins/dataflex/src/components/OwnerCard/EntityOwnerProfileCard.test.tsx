import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { OwnerProfiles } from '@dataflex/backstage-plugin-dataflex-common';
import { screen, within } from '@testing-library/react';
import { ProfileApi, profileApiRef } from '../../api';
import { EntityOwnerProfileCard } from './EntityOwnerProfileCard';

jest.setTimeout(30_000);

const customers: Entity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'default' },
  spec: { owner: 'data-platform', lifecycle: 'production' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/data-platform' },
    { type: 'partOf', targetRef: 'system:default/crm' },
  ],
};

const dataPlatform: OwnerProfiles = {
  owner: 'group:default/data-platform',
  items: [
    {
      userEntityRef: 'user:default/anil',
      displayName: 'Anil Kumar',
      organization: 'Data Platform',
      skills: ['SQL', 'Kafka'],
    },
    {
      userEntityRef: 'user:default/priya',
      displayName: 'Priya Raman',
      bio: 'Builds the catalog.\nAsk me about lineage.',
    },
    // Made every field private: only who they are is known.
    { userEntityRef: 'user:default/mei' },
  ],
  truncated: false,
};

function renderCard(
  entity: Entity,
  getOwnerProfiles: ProfileApi['getOwnerProfiles'],
) {
  const api = {
    getMyProfile: jest.fn(),
    updateMyProfile: jest.fn(),
    getProfile: jest.fn(),
    getOwnerProfiles: jest.fn(getOwnerProfiles),
  };
  const rendered = renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityOwnerProfileCard />
    </EntityProvider>,
    {
      apis: [[profileApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { api, rendered };
}

describe('EntityOwnerProfileCard', () => {
  it("shows the owning group's members with what they made public", async () => {
    const { api } = renderCard(customers, async () => dataPlatform);

    const entries = await screen.findAllByTestId('owner-profile');
    expect(api.getOwnerProfiles).toHaveBeenCalledWith(
      'group:default/data-platform',
    );
    expect(screen.getByText('Owner')).toBeInTheDocument();
    expect(entries).toHaveLength(3);

    const [anil, priya, mei] = entries;
    expect(
      within(anil).getByRole('link', { name: 'Anil Kumar' }),
    ).toHaveAttribute('href', '/catalog/default/user/anil');
    expect(within(anil).getByText('Data Platform')).toBeInTheDocument();
    expect(
      within(within(anil).getByRole('list', { name: 'Skills' }))
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['SQL', 'Kafka']);

    expect(within(priya).getByText(/Ask me about lineage/)).toBeInTheDocument();
    expect(within(priya).queryByRole('list')).not.toBeInTheDocument();

    // Nothing but the link to the user, named by the entity name.
    expect(mei).toHaveTextContent(/^mei$/);
    expect(within(mei).getByRole('link', { name: 'mei' })).toHaveAttribute(
      'href',
      '/catalog/default/user/mei',
    );
  });

  it('shows only the fields the backend sent, nothing invented', async () => {
    renderCard(customers, async () => ({
      owner: 'group:default/data-platform',
      items: [{ userEntityRef: 'user:default/anil', displayName: 'Anil' }],
      truncated: false,
    }));

    const [anil] = await screen.findAllByTestId('owner-profile');

    expect(anil).toHaveTextContent(/^Anil$/);
    expect(within(anil).queryByRole('list')).not.toBeInTheDocument();
  });

  it('asks about the owner in spec.owner before the catalog has related it', async () => {
    const { api } = renderCard(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders', namespace: 'payments' },
        spec: { type: 'service', owner: 'user:anil', lifecycle: 'production' },
      },
      async () => ({
        owner: 'user:payments/anil',
        items: [{ userEntityRef: 'user:payments/anil', displayName: 'Anil' }],
        truncated: false,
      }),
    );

    expect(await screen.findByText('Anil')).toBeInTheDocument();
    expect(api.getOwnerProfiles).toHaveBeenCalledWith('user:payments/anil');
  });

  it('says when a large group was cut short, and when it has no members to show', async () => {
    renderCard(
      {
        ...customers,
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/everyone' },
          { type: 'ownedBy', targetRef: 'group:default/empty' },
        ],
      },
      async owner =>
        owner === 'group:default/everyone'
          ? {
              owner,
              items: Array.from({ length: 50 }, (_, i) => ({
                userEntityRef: `user:default/member-${i}`,
              })),
              truncated: true,
            }
          : { owner, items: [], truncated: false },
    );

    expect(
      await screen.findByText('Showing the first 50 members.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Owners')).toBeInTheDocument();
    expect(screen.getByText('No members to show.')).toBeInTheDocument();
  });

  it('shows an empty state for an entity without owner, without asking', async () => {
    const { api } = renderCard(
      {
        ...customers,
        spec: { lifecycle: 'production' },
        relations: [],
      },
      async () => dataPlatform,
    );

    expect(await screen.findByText('No owner')).toBeInTheDocument();
    expect(api.getOwnerProfiles).not.toHaveBeenCalled();
  });

  it('shows the error when the profiles cannot be loaded', async () => {
    renderCard(customers, async () => {
      throw new Error('There is no group in the catalog');
    });

    expect(
      await screen.findAllByText(/There is no group in the catalog/),
    ).not.toHaveLength(0);
  });
});
