import { useQuery } from '@apollo/client/react';
import { Select } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { AuditEmployeesDocument } from './audit.generated';

/**
 * Employees chosen by name, searched on the server as one types (an organization may have thousands). Names of
 * chosen employees are remembered so a chip never turns into an id when the search moves on; an id from the URL
 * the first page does not hold shows the id until it is found.
 */
export function EmployeePicker({
  value,
  onChange,
  multiple,
  label,
  placeholder,
  known,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  multiple?: boolean;
  label: string;
  placeholder: string;
  /** Names already known (a saved rule's notify list), shown before the search finds them. */
  known?: ReadonlyArray<{ id: string; name: string }>;
}) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const { data, previousData, loading } = useQuery(AuditEmployeesDocument, {
    variables: { search: search || undefined },
  });
  const names = useRef(new Map<string, string>(known?.map((e) => [e.id, e.name])));
  const found = (data ?? previousData)?.employees.edges.map((e) => e.node) ?? [];
  for (const e of found) names.current.set(e.id, e.name);
  const options = useMemo(() => {
    const listed = found.map((e) => ({ value: e.id, label: e.title ? `${e.name} · ${e.title}` : e.name }));
    const missing = value
      .filter((id) => !found.some((e) => e.id === id))
      .map((id) => ({ value: id, label: names.current.get(id) ?? id }));
    return [...missing, ...listed];
  }, [found, value]);
  return (
    <Select<string | string[]>
      mode={multiple ? 'multiple' : undefined}
      aria-label={label}
      placeholder={placeholder}
      allowClear
      // Filtered at once among the names loaded, then by the server's search as one types.
      showSearch={{
        filterOption: (input, option) =>
          String(option?.label ?? '')
            .toLowerCase()
            .includes(input.trim().toLowerCase()),
        onSearch: setTyped,
      }}
      loading={loading}
      value={multiple ? value : value[0]}
      onChange={(v) => {
        setTyped('');
        onChange(v == null ? [] : Array.isArray(v) ? v : [v]);
      }}
      options={options}
      style={{ minWidth: 220 }}
      maxTagCount="responsive"
      optionLabelProp="label"
    />
  );
}
