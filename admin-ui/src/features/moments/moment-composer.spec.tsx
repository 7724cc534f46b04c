import type { MockLink } from '@apollo/client/testing';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import './moments-texts';
import { AudienceOptionsDocument, CreateMomentDocument, MomentReachDocument } from './moments.generated';
import { renderPage } from '../../test/render';
import { attachmentListProblems, composerProblems, hasProblems } from './composer-rules';
import { MomentComposer } from './moment-composer';

const options = {
  request: { query: AudienceOptionsDocument },
  result: {
    data: {
      departments: [{ __typename: 'Department', id: 'd1', name: 'Sales', parent: null }],
      employees: {
        __typename: 'EmployeeConnection',
        edges: [{ __typename: 'EmployeeEdge', node: { __typename: 'Employee', id: 'e1', name: 'Wei', title: null } }],
      },
      tagGroups: [
        { __typename: 'TagGroup', id: 'g1', name: 'Interest', tags: [{ __typename: 'Tag', id: 't1', name: 'VIP' }] },
      ],
    },
  },
  maxUsageCount: 10,
};
const reach = {
  request: { query: MomentReachDocument, variables: () => true },
  result: { data: { momentReach: { __typename: 'MomentReach', employees: 12, customers: 345 } } },
  maxUsageCount: 50,
};

function renderComposer(extra: MockLink.MockedResponse[] = []) {
  const saved: string[] = [];
  renderPage(<MomentComposer onSaved={(id) => saved.push(id)} />, {
    mocks: [options, reach, ...extra],
    path: '/moments/new',
    route: '/moments/new',
  });
  return saved;
}

const text = () => screen.getByLabelText('Text');
const typeText = (value: string) => fireEvent.change(text(), { target: { value } });

// Generous: the first render of Ant Design's form controls is slow on a loaded CI machine.
describe('moment composer rules', { timeout: 60_000 }, () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('counts the text as the server does and refuses more than 2000 characters', async () => {
    renderComposer();
    // An emoji with a variation selector is two code points, as PostgreSQL counts it.
    typeText('❤️');
    expect(screen.getByText('2 / 2000 characters')).toBeInTheDocument();
    typeText('a'.repeat(2000));
    expect(screen.getByText('2000 / 2000 characters')).toBeInTheDocument();
    expect(screen.queryByText('At most 2000 characters.')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save as draft' })).toBeEnabled();
    typeText('a'.repeat(2001));
    expect(screen.getByText('At most 2000 characters.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save as draft' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Schedule' })).toBeDisabled();
  });

  it('allows up to 9 images, each an http(s) address', async () => {
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    renderComposer();
    typeText('New arrivals');
    await user.click(screen.getByRole('radio', { name: 'Images' }));
    const add = screen.getByRole('button', { name: /Add image/ });
    // fireEvent, not userEvent: eight clicks stay fast on a loaded machine.
    for (let i = 1; i < 9; i++) fireEvent.click(add);
    expect(screen.getByLabelText('Image 9 address')).toBeInTheDocument();
    expect(add).toBeDisabled();
    expect(screen.queryByLabelText('Image 10 address')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Image 3 address'), { target: { value: 'ftp://cdn.example.com/a.png' } });
    expect(screen.getByText('Must be an http:// or https:// address.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Image 3 address'), { target: { value: 'https://cdn.example.com/a.png' } });
    expect(screen.queryByText('Must be an http:// or https:// address.')).not.toBeInTheDocument();
  });

  it('takes one link with a title of at most 64 characters; choosing another kind replaces it', async () => {
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    renderComposer();
    typeText('Read this');
    await user.click(screen.getByRole('radio', { name: 'Link' }));
    expect(screen.queryByRole('button', { name: /Add image/ })).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Link address'), { target: { value: 'https://example.com/post' } });
    expect(screen.getByText('A link needs a title.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Link title'), { target: { value: 'x'.repeat(65) } });
    expect(screen.getByText('At most 64 characters.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Link title'), { target: { value: 'x'.repeat(64) } });
    expect(screen.queryByText('At most 64 characters.')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Video' }));
    expect(screen.queryByLabelText('Link title')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Video address')).toHaveValue('');
  });

  it('shows the reach of the audience before saving', async () => {
    renderComposer();
    expect(await screen.findByText('345')).toBeInTheDocument();
    expect(screen.getByText('12')).toBeInTheDocument();
  });

  it("shows the server's BAD_USER_INPUT field errors under their fields", async () => {
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    const refused = {
      request: { query: CreateMomentDocument, variables: () => true },
      result: {
        errors: [
          new GraphQLError('input.attachments[0].url: must be an http(s) URL', {
            extensions: {
              code: 'BAD_USER_INPUT',
              fields: [{ field: 'input.attachments[0].url', message: 'the server refuses this address' }],
            },
          }),
        ],
      },
    };
    const saved = renderComposer([refused]);
    typeText('Spring sale');
    await user.click(screen.getByRole('radio', { name: 'Video' }));
    fireEvent.change(screen.getByLabelText('Video address'), { target: { value: 'https://cdn.example.com/v.mp4' } });
    await user.click(screen.getByRole('button', { name: 'Save as draft' }));
    expect(await screen.findByText('the server refuses this address')).toBeInTheDocument();
    // Under the field it names (input.attachments[0].url), not anywhere on the page.
    const item = screen.getByLabelText('Video address').closest<HTMLElement>('.ant-form-item')!;
    expect(within(item).getByText('the server refuses this address')).toBeInTheDocument();
    expect(screen.getByText('Some fields need attention.')).toBeInTheDocument();
    expect(saved).toEqual([]);
    // Editing the field clears the server's verdict on it.
    fireEvent.change(screen.getByLabelText('Video address'), { target: { value: 'https://cdn.example.com/w.mp4' } });
    await waitFor(() => expect(screen.queryByText('the server refuses this address')).not.toBeInTheDocument());
  });
});

describe('attachment rules', () => {
  const img = (url = 'https://a.example/x.png') => ({ type: 'IMAGE' as const, url });

  it('never mixes kinds, and takes exactly one video or link', () => {
    expect(attachmentListProblems([img(), { type: 'VIDEO', url: 'https://a.example/v.mp4' }]).attachments?.key).toBe(
      'rules.mixed',
    );
    expect(
      attachmentListProblems([
        { type: 'VIDEO', url: 'https://a/1' },
        { type: 'VIDEO', url: 'https://a/2' },
      ]).attachments?.key,
    ).toBe('rules.exactlyOne');
    expect(attachmentListProblems(Array.from({ length: 9 }, () => img())).attachments).toBeUndefined();
    expect(attachmentListProblems(Array.from({ length: 10 }, () => img())).attachments?.key).toBe(
      'rules.tooManyImages',
    );
  });

  it('is valid for text alone, and needs text', () => {
    expect(hasProblems(composerProblems({ text: 'Hi', kind: 'NONE', urls: [''], title: '' }))).toBe(false);
    expect(composerProblems({ text: '   ', kind: 'NONE', urls: [''], title: '' }).text?.key).toBe('rules.textRequired');
  });
});
