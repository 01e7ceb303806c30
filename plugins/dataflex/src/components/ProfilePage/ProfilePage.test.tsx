import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Profile } from '@dataflex/backstage-plugin-dataflex-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ProfileApi, profileApiRef } from '../../api';
import { ProfilePage } from './ProfilePage';

// Typing into Material UI fields in jsdom is slow on a busy machine.
jest.setTimeout(30_000);

const stored: Profile = {
  userEntityRef: 'user:default/anil',
  displayName: 'Anil Kumar',
  bio: 'Keeps the ingestion pipelines running',
  organization: 'Data Platform',
  skills: ['SQL', 'Kafka'],
  visibility: {
    displayName: 'public',
    bio: 'private',
    organization: 'public',
    skills: 'public',
  },
  updatedAt: '2026-11-20T10:00:00.000Z',
};

function mockProfileApi(overrides: Partial<ProfileApi> = {}) {
  return {
    getMyProfile: jest.fn(async () => stored),
    updateMyProfile: jest.fn<
      ReturnType<ProfileApi['updateMyProfile']>,
      Parameters<ProfileApi['updateMyProfile']>
    >(async request => ({
      userEntityRef: stored.userEntityRef,
      skills: [],
      ...request,
      updatedAt: '2026-11-22T10:00:00.000Z',
    })),
    getProfile: jest.fn(),
    getOwnerProfiles: jest.fn(),
    ...overrides,
  };
}

async function renderPage(api = mockProfileApi()) {
  await renderInTestApp(<ProfilePage />, {
    apis: [[profileApiRef, api]],
  });
  await screen.findByRole('form', { name: 'Edit your profile' });
  return api;
}

const saveButton = () => screen.getByRole('button', { name: 'Save' });

/** The skills shown as chips, without their remove buttons' titles. */
const skillChips = () =>
  within(screen.getByRole('list', { name: 'Skills' }))
    .getAllByRole('listitem')
    .map(item => item.querySelector('[class*="MuiChip-label"]')?.textContent);

describe('ProfilePage', () => {
  it('shows the stored profile with each field’s visibility', async () => {
    await renderPage();

    expect(
      screen.getByRole('heading', { name: 'My profile' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Display name/ })).toHaveValue(
      'Anil Kumar',
    );
    expect(screen.getByLabelText('Organization')).toHaveValue('Data Platform');
    expect(screen.getByLabelText('Bio')).toHaveValue(
      'Keeps the ingestion pipelines running',
    );
    expect(skillChips()).toEqual(['SQL', 'Kafka']);

    expect(
      screen.getByRole('checkbox', { name: 'Display name visible to others' }),
    ).toBeChecked();
    expect(
      screen.getByRole('checkbox', { name: 'Bio visible to others' }),
    ).not.toBeChecked();
    expect(
      screen.getByRole('checkbox', { name: 'Organization visible to others' }),
    ).toBeChecked();
    expect(
      screen.getByRole('checkbox', { name: 'Skills visible to others' }),
    ).toBeChecked();
  });

  it('saves the edited profile with the chosen visibilities', async () => {
    const user = userEvent.setup({ delay: null });
    const api = await renderPage();

    const name = screen.getByRole('textbox', { name: /Display name/ });
    await user.clear(name);
    await user.type(name, '  Anil K.  ');
    await user.clear(screen.getByLabelText('Organization'));
    await user.click(
      screen.getByRole('checkbox', { name: 'Bio visible to others' }),
    );
    await user.click(
      screen.getByRole('checkbox', { name: 'Skills visible to others' }),
    );
    await user.click(saveButton());

    expect(await screen.findByText('Profile saved')).toBeInTheDocument();
    expect(api.updateMyProfile).toHaveBeenCalledTimes(1);
    expect(api.updateMyProfile).toHaveBeenCalledWith({
      displayName: 'Anil K.',
      bio: 'Keeps the ingestion pipelines running',
      organization: undefined,
      skills: ['SQL', 'Kafka'],
      visibility: {
        displayName: 'public',
        bio: 'public',
        organization: 'public',
        skills: 'private',
      },
    });
  });

  it('adds skills as chips with Enter or the button, refuses duplicates and long ones, and removes them', async () => {
    const user = userEvent.setup({ delay: null });
    const api = await renderPage();
    const input = screen.getByLabelText('Add a skill');

    await user.type(input, 'dbt{Enter}');
    await user.type(input, 'Parquet');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await user.type(input, 'sql{Enter}');
    expect(screen.getByText('sql is already listed')).toBeInTheDocument();
    await user.clear(input);
    await user.paste('x'.repeat(51));
    await user.type(input, '{Enter}');
    expect(
      screen.getByText('A skill has at most 50 characters'),
    ).toBeInTheDocument();
    await user.clear(input);
    await user.click(screen.getByTitle('Remove Kafka'));

    expect(skillChips()).toEqual(['SQL', 'dbt', 'Parquet']);
    // Enter in the skill field never submitted the form.
    expect(api.updateMyProfile).not.toHaveBeenCalled();

    await user.click(saveButton());
    await waitFor(() =>
      expect(api.updateMyProfile).toHaveBeenCalledWith(
        expect.objectContaining({ skills: ['SQL', 'dbt', 'Parquet'] }),
      ),
    );
  });

  it('says what is wrong before saving, and does not save', async () => {
    const user = userEvent.setup({ delay: null });
    const api = await renderPage();
    const name = screen.getByRole('textbox', { name: /Display name/ });

    await user.clear(name);
    expect(
      screen.getByText('Enter the name others should see'),
    ).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();

    // Pasted rather than typed: 101 keystrokes are slow in jsdom.
    await user.click(name);
    await user.paste('🙂'.repeat(101));
    expect(screen.getByText('At most 100 characters')).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();

    await user.clear(name);
    await user.paste('🙂'.repeat(100));
    expect(
      screen.queryByText('At most 100 characters'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('100/100')).toBeInTheDocument();

    await user.click(screen.getByLabelText('Bio'));
    await user.paste('b'.repeat(2001));
    expect(screen.getByText('At most 2000 characters')).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
    expect(api.updateMyProfile).not.toHaveBeenCalled();
  });

  it('shows the backend’s reason when saving fails', async () => {
    const user = userEvent.setup({ delay: null });
    const api = await renderPage(
      mockProfileApi({
        updateMyProfile: jest.fn(async () => {
          throw await ResponseError.fromResponse(
            new Response(
              JSON.stringify({
                error: {
                  name: 'InputError',
                  message:
                    'displayName: must not contain control or invisible formatting characters',
                },
                request: { method: 'PUT', url: '/api/dataflex/profiles/me' },
                response: { statusCode: 400 },
              }),
              {
                status: 400,
                headers: { 'Content-Type': 'application/json' },
              },
            ),
          );
        }),
      }),
    );

    await user.click(saveButton());

    expect(
      await screen.findByText(
        'Could not save your profile: displayName: must not contain control or invisible formatting characters',
      ),
    ).toBeInTheDocument();
    expect(api.updateMyProfile).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Profile saved')).not.toBeInTheDocument();
  });

  it('shows an error panel when the profile cannot be loaded', async () => {
    await renderInTestApp(<ProfilePage />, {
      apis: [
        [
          profileApiRef,
          mockProfileApi({
            getMyProfile: jest.fn(async () => {
              throw new Error('The DataFlex backend is not reachable');
            }),
          }),
        ],
      ],
    });

    expect(
      await screen.findAllByText(/The DataFlex backend is not reachable/),
    ).not.toHaveLength(0);
    expect(
      screen.queryByRole('form', { name: 'Edit your profile' }),
    ).not.toBeInTheDocument();
  });
});
