/**
 * The list table the pages share (`Grid` in src/web/components.tsx): rendered the way pages
 * are (hono's JSX to a string), it must give the markup the CSS, the tests and the browser
 * flows look for: `table.grid`, one heading per column, one row per item with its attributes.
 */
import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/web/components.tsx';

const render = async <T>(props: Parameters<typeof Grid<T>>[0]) => String(await jsx(Grid, props).toString());

interface User {
  id: number;
  name: string;
  logins: number;
  revoked: boolean;
}

const users: User[] = [
  { id: 7, name: 'Chen <Ming>', logins: 12, revoked: false },
  { id: 8, name: 'Lin', logins: 0, revoked: true },
];

describe('Grid', () => {
  it('renders one heading row and one row per item, with the columns, row and cell attributes', async () => {
    const html = await render<User>({
      rows: users,
      testId: 'users',
      rowAttrs: (u) => ({ 'data-id': u.id, class: u.revoked ? 'past' : undefined }),
      columns: [
        { head: 'Name', cell: (u) => jsx('a', { href: `/users/${u.id}` }, u.name) },
        {
          head: 'Since',
          class: 'nowrap',
          attrs: (u) => ({ title: `user ${u.id}` }),
          cell: () => '2026-03-02',
        },
        { head: 'Logins', num: true, cell: (u) => u.logins },
      ],
    });
    expect(html).toBe(
      '<table class="grid" data-testid="users">' +
        '<thead><tr><th scope="col">Name</th><th scope="col">Since</th><th scope="col" class="num">Logins</th></tr></thead>' +
        '<tbody>' +
        '<tr data-id="7"><td><a href="/users/7">Chen &lt;Ming&gt;</a></td>' +
        '<td class="nowrap" title="user 7">2026-03-02</td><td class="num">12</td></tr>' +
        '<tr data-id="8" class="past"><td><a href="/users/8">Lin</a></td>' +
        '<td class="nowrap" title="user 8">2026-03-02</td><td class="num">0</td></tr>' +
        '</tbody></table>',
    );
  });

  it('leaves out a column given as false, heading and cells alike', async () => {
    const html = await render<User>({
      rows: users,
      id: 'logins',
      columns: [
        { head: 'Name', cell: (u) => u.name },
        users.length > 5 && { head: 'Logins', num: true, cell: (u) => u.logins },
        { head: null, cell: (u) => (u.revoked ? null : 'active') },
      ],
    });
    expect(html).toBe(
      '<table class="grid" id="logins">' +
        '<thead><tr><th scope="col">Name</th><th scope="col"></th></tr></thead>' +
        '<tbody><tr><td>Chen &lt;Ming&gt;</td><td>active</td></tr><tr><td>Lin</td><td></td></tr></tbody></table>',
    );
  });
});
