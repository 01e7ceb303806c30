import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RbacApi, rbacApiRef } from '../../api';
import { ExplainCard } from './ExplainCard';

const explanation = {
  user: {
    userEntityRef: 'user:default/student',
    isAdmin: false,
    claims: ['user:default/student'],
  },
  entityRef: 'dataset:default/customers',
  permissions: [
    {
      permission: 'dataflex.dataset.read',
      allowed: true,
      reasons: ["the dataset's visibility is public, one of public, open"],
    },
    {
      permission: 'dataflex.dataset.content.read',
      allowed: false,
      reasons: [
        'you are not an owner: group:default/data-platform is not one of your groups',
      ],
    },
  ],
};

function renderCard(explain: RbacApi['explain'], canAskForOthers = false) {
  return renderInTestApp(<ExplainCard canAskForOthers={canAskForOthers} />, {
    apis: [[rbacApiRef, { explain, getRoles: jest.fn() }]],
  });
}

// Typing into Material UI fields in jsdom is slow on a busy machine.
jest.setTimeout(30_000);

describe('ExplainCard', () => {
  it('explains what the signed-in user may do on an entity, and why', async () => {
    const explain = jest.fn(async () => explanation);
    const user = userEvent.setup({ delay: null });
    renderCard(explain);

    await user.type(
      await screen.findByLabelText(/Entity/),
      'dataset:default/customers',
    );
    await user.click(screen.getByRole('button', { name: 'Explain' }));

    const denied = (
      await screen.findByText('dataflex.dataset.content.read')
    ).closest('tr')!;
    expect(within(denied).getByText('Denied')).toBeInTheDocument();
    expect(
      within(denied).getByText(/not one of your groups/),
    ).toBeInTheDocument();
    const allowed = screen.getByText('dataflex.dataset.read').closest('tr')!;
    expect(within(allowed).getByText('Allowed')).toBeInTheDocument();
    expect(explain).toHaveBeenCalledWith({
      entityRef: 'dataset:default/customers',
      userEntityRef: undefined,
    });
    expect(screen.queryByLabelText(/User/)).not.toBeInTheDocument();
  });

  it('lets admins ask about another user', async () => {
    const explain = jest.fn(async () => explanation);
    const user = userEvent.setup({ delay: null });
    renderCard(explain, true);

    await user.type(
      await screen.findByLabelText(/Entity/),
      'dataset:default/customers',
    );
    await user.type(screen.getByLabelText(/User/), 'user:default/student');
    await user.click(screen.getByRole('button', { name: 'Explain' }));

    expect(
      await screen.findByText(
        'user:default/student on dataset:default/customers',
      ),
    ).toBeInTheDocument();
    expect(explain).toHaveBeenCalledWith({
      entityRef: 'dataset:default/customers',
      userEntityRef: 'user:default/student',
    });
  });

  it('shows why a question was refused', async () => {
    const user = userEvent.setup({ delay: null });
    renderCard(async () => {
      throw new Error('No entity dataset:default/secret that you can see');
    });
    await user.type(
      await screen.findByLabelText(/Entity/),
      'dataset:default/secret',
    );
    await user.click(screen.getByRole('button', { name: 'Explain' }));
    const messages = await screen.findAllByText(
      /No entity dataset:default\/secret that you can see/,
    );
    expect(messages[0]).toBeInTheDocument();
  });
});
