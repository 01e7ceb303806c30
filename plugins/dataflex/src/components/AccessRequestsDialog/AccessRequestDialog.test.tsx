import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AccessRequest } from '@dataflex/backstage-plugin-dataflex-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessRequestsApi, accessRequestsApiRef } from '../../api';
import { AccessRequestDialog } from './AccessRequestDialog';
import { validateAccessRequest } from './validateAccessRequest';

// Material UI dialogs in jsdom are slow on a busy machine.
jest.setTimeout(30_000);

const ref = { namespace: 'default', name: 'customers' };

const created: AccessRequest = {
  id: 'r1',
  dataset: 'dataset:default/customers',
  namespace: 'default',
  name: 'customers',
  requester: 'user:default/student',
  justification: 'Thesis on churn',
  fields: { purpose: 'research', 'cost-centre': 'CC-12' },
  scope: 'version',
  version: 2,
  status: 'pending',
  createdAt: '2026-11-22T10:00:00.000Z',
};

function mockApi(
  createAccessRequest: AccessRequestsApi['createAccessRequest'],
): AccessRequestsApi {
  return { createAccessRequest } as Partial<AccessRequestsApi> as any;
}

function renderDialog(
  api: AccessRequestsApi,
  options: { versions?: number[]; requestFields?: string[] } = {},
) {
  const onRequested = jest.fn();
  const onClose = jest.fn();
  renderInTestApp(
    <AccessRequestDialog
      open
      datasetRef={ref}
      versions={options.versions ?? [2, 1]}
      requestFields={options.requestFields ?? []}
      onClose={onClose}
      onRequested={onRequested}
    />,
    { apis: [[accessRequestsApiRef, api]] },
  );
  return { onRequested, onClose };
}

describe('AccessRequestDialog', () => {
  it('refuses to send without a justification or an answer to each field', async () => {
    const create = jest.fn();
    const user = userEvent.setup({ delay: null });
    renderDialog(mockApi(create), { requestFields: ['purpose'] });

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('textbox', { name: 'Purpose' }),
    ).toBeRequired();
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    expect(
      await within(dialog).findByText('Say why you need the data'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Required')).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
  });

  it('counts the justification against its limit and refuses one too long', async () => {
    const create = jest.fn();
    const user = userEvent.setup({ delay: null });
    renderDialog(mockApi(create));

    const dialog = await screen.findByRole('dialog');
    const justification = within(dialog).getByRole('textbox', {
      name: 'Justification',
    });
    await user.type(justification, 'Thesis');
    expect(within(dialog).getByText('6 / 2000')).toBeInTheDocument();

    fireEvent.change(justification, { target: { value: 'x'.repeat(2001) } });
    expect(within(dialog).getByText('2001 / 2000')).toBeInTheDocument();
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    expect(
      await within(dialog).findByText('At most 2000 characters'),
    ).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
  });

  it("sends the justification, scope, version, end and the dataset's own fields", async () => {
    const create = jest.fn(async () => created);
    const user = userEvent.setup({ delay: null });
    const { onRequested } = renderDialog(mockApi(create), {
      requestFields: ['purpose', 'cost-centre'],
    });

    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      '  Thesis on churn ',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Purpose' }),
      'research',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Cost centre' }),
      'CC-12',
    );
    await user.click(
      within(dialog).getByRole('radio', {
        name: /This version and later ones/,
      }),
    );
    fireEvent.change(within(dialog).getByLabelText('Access ends (optional)'), {
      target: { value: '2999-12-31' },
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    await waitFor(() => expect(onRequested).toHaveBeenCalledWith(created));
    expect(create).toHaveBeenCalledWith(ref, {
      justification: 'Thesis on churn',
      scope: 'version-and-later',
      version: 2,
      endsAt: new Date('2999-12-31T23:59:59.999'),
      fields: { purpose: 'research', 'cost-centre': 'CC-12' },
    });
  });

  it("shows the API's refusal as it is and keeps what was typed", async () => {
    const create = jest.fn(async () => {
      throw Object.assign(new Error('Request failed with 400 Bad Request'), {
        statusCode: 400,
        body: {
          error: {
            name: 'InputError',
            message: "The field 'purpose' is not one this dataset asks for",
          },
        },
      });
    });
    const user = userEvent.setup({ delay: null });
    const { onRequested } = renderDialog(mockApi(create));

    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      'Thesis',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "The field 'purpose' is not one this dataset asks for",
    );
    expect(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
    ).toHaveValue('Thesis');
    expect(onRequested).not.toHaveBeenCalled();
  });

  it('asks from version 1 on for a dataset without versions', async () => {
    const create = jest.fn(async () => created);
    const user = userEvent.setup({ delay: null });
    renderDialog(mockApi(create), { versions: [] });

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('radio', { name: 'This version only' }),
    ).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      'Thesis',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    await waitFor(() =>
      expect(create).toHaveBeenCalledWith(ref, {
        justification: 'Thesis',
        scope: 'version-and-later',
      }),
    );
  });
});

describe('validateAccessRequest', () => {
  const draft = {
    justification: 'Thesis',
    scope: 'version' as const,
    version: 1,
    endDate: '',
    fields: {},
  };

  it('refuses an end that is not in the future', () => {
    const now = new Date('2026-11-22T12:00:00');
    expect(
      validateAccessRequest({ ...draft, endDate: '2026-11-21' }, [], now),
    ).toEqual({ endDate: 'Pick a day in the future' });
    // The chosen day counts to its end.
    expect(
      validateAccessRequest({ ...draft, endDate: '2026-11-22' }, [], now),
    ).toEqual({});
  });

  it('refuses an answer longer than the field limit', () => {
    expect(
      validateAccessRequest(
        { ...draft, fields: { purpose: 'x'.repeat(1001) } },
        ['purpose'],
      ),
    ).toEqual({ 'fields.purpose': 'At most 1000 characters' });
  });
});
