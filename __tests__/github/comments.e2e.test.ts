import { upsertStickyComment } from '../../src/github/comments.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { useGitHubFake } from './fixture.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const MARKER = '<!-- slipway:preview -->';
const base = { owner: 'acme', repo: 'gitops', issueNumber: 7, marker: MARKER } as const;

describe('upsertStickyComment', () => {
  const { fake, client } = useGitHubFake();

  it('creates the comment once, then edits it in place', async () => {
    const gh = client();
    const first = await upsertStickyComment(gh, { ...base, body: `${MARKER}\nfirst`, mode: 'update' });
    const second = await upsertStickyComment(gh, { ...base, body: `${MARKER}\nsecond`, mode: 'update' });

    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(fake().commentsOn(7).map((c) => c.body)).toEqual([`${MARKER}\nsecond`]);
    expect(second.url).toMatch(/\/pull\/7#issuecomment-\d+$/);
  });

  it('makes at most 3 calls for a normal pull request, and 2 when the thread fits one page', async () => {
    const gh = client();
    for (let i = 0; i < 40; i++) fake().seedComment(7, `chatter ${i}`);
    await upsertStickyComment(gh, { ...base, body: `${MARKER}\nv1`, mode: 'update' });
    expect(gh.apiCalls.count).toBeLessThanOrEqual(3);
    gh.apiCalls.reset();
    await upsertStickyComment(gh, { ...base, body: `${MARKER}\nv2`, mode: 'update' });
    const created = fake().commentsOn(7).at(-1)!;
    expect(gh.apiCalls.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /repos/acme/gitops/issues/7/comments',
      `PATCH /repos/acme/gitops/issues/comments/${created.id}`,
    ]);
  });

  it('finds the marked comment on page 3 of a long thread by following Link headers', async () => {
    for (let i = 0; i < 230; i++) fake().seedComment(7, `comment ${i}`);
    const marked = fake().seedComment(7, `${MARKER}\nold preview`, fake().state.botUser);
    for (let i = 0; i < 5; i++) fake().seedComment(7, `later ${i}`);

    const result = await upsertStickyComment(client(), { ...base, body: `${MARKER}\nnew preview`, mode: 'update' });

    expect(result).toMatchObject({ action: 'updated', id: marked.id });
    const lists = fake().requestsTo('GET', '/issues/7/comments');
    expect(lists.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(lists.every((r) => r.query.per_page === '100')).toBe(true);
    expect(fake().commentsOn(7)).toHaveLength(236);
  });

  it('edits the newest marked comment when there are several', async () => {
    fake().seedComment(7, `${MARKER}\nolder`);
    const newer = fake().seedComment(7, `${MARKER}\nnewer`);
    fake().seedComment(7, `someone quoting it: ${MARKER}`);
    const result = await upsertStickyComment(client(), { ...base, body: `${MARKER}\nnow`, mode: 'update' });
    expect(result.id).toBe(newer.id);
  });

  it('does not write when the comment already says the same thing', async () => {
    const gh = client();
    await upsertStickyComment(gh, { ...base, body: `${MARKER}\nsame`, mode: 'update' });
    const again = await upsertStickyComment(gh, { ...base, body: `${MARKER}\nsame`, mode: 'update' });
    expect(again.action).toBe('unchanged');
    expect(fake().requestsTo('PATCH', '/issues/comments/')).toHaveLength(0);
  });

  it('adds a new comment every time in `new` mode', async () => {
    const gh = client();
    await upsertStickyComment(gh, { ...base, body: 'one', mode: 'new' });
    await upsertStickyComment(gh, { ...base, body: 'two', mode: 'new' });
    expect(fake().commentsOn(7).map((c) => c.body)).toEqual([`${MARKER}\none`, `${MARKER}\ntwo`]);
    expect(fake().requestsTo('GET', '/comments')).toHaveLength(0);
  });

  it('makes no call at all in `off` mode', async () => {
    const gh = client();
    expect(await upsertStickyComment(gh, { ...base, body: 'x', mode: 'off' })).toEqual({ action: 'skipped' });
    expect(fake().requests).toHaveLength(0);
  });

  it('masks registered secrets in the body it sends', async () => {
    secrets.add('s3cr3t-kube-token');
    await upsertStickyComment(client({ secrets }), { ...base, body: `${MARKER}\nerror: bad token s3cr3t-kube-token`, mode: 'update' });
    const sent = JSON.stringify(fake().requests.map((r) => r.body));
    expect(sent).not.toContain('s3cr3t-kube-token');
    expect(fake().commentsOn(7)[0].body).toContain('bad token ***');
  });

  it('cuts a body over the limit instead of having GitHub refuse it', async () => {
    const huge = `${MARKER}\n\`\`\`diff\n${'+ line\n'.repeat(20000)}`;
    const result = await upsertStickyComment(client(), { ...base, body: huge, mode: 'update' });
    expect(result.action).toBe('created');
    const body = fake().commentsOn(7)[0].body;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.match(/^```/gm)).toHaveLength(2);
  });
});
