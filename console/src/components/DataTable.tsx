import type { ReactNode } from 'react';
import { Paper, Table, type TableProps } from '@mantine/core';

/**
 * A bordered card whose table scrolls sideways on narrow screens. It takes the focus so a keyboard can scroll it
 * too (a table without buttons has nothing else to focus: axe scrollable-region-focusable).
 */
export function TableCard({ children }: { children: ReactNode }) {
  return (
    <Paper withBorder radius="md" className="table-scroll" tabIndex={0}>
      {children}
    </Paper>
  );
}

/**
 * A table named for screen readers and tests, with one header row of column titles; the rows are the children.
 * A column given as `false` is left out (columns only some roles see).
 */
export function DataTable({
  label,
  columns,
  children,
  ...table
}: { label: string; columns: Array<ReactNode | false>; children: ReactNode } & Omit<TableProps, 'children'>) {
  return (
    <Table aria-label={label} {...table}>
      <Table.Thead>
        <Table.Tr>
          {columns
            .filter((c) => c !== false)
            .map((c, i) => (
              <Table.Th key={i}>{c}</Table.Th>
            ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}
