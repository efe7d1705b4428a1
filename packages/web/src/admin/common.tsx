// Pieces shared by the administration tabs: a list loaded from the API, the
// server's validation messages (problem+json `errors`, every failing field),
// and a JSON field that says where it does not parse.
import { Alert, List, Textarea } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useI18n } from '../i18n.ts';

export function useList<T>(url: string | null): {
  items: T[];
  error: unknown;
  reload: () => void;
  loading: boolean;
} {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick asks for a reload
  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    setLoading(true);
    api<T[] | { items: T[] }>('GET', url, undefined, { signal: controller.signal })
      .then((answer) => {
        setItems(Array.isArray(answer) ? answer : answer.items);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failure);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [url, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { items, error, reload, loading };
}

/** The server's refusal: its message and each field it names. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <Alert color="red" role="alert" data-testid="problem">
      {problem?.detail ?? problem?.title ?? (error instanceof Error ? error.message : t('error.generic'))}
      {problem?.errors && problem.errors.length > 0 && (
        <List size="sm" mt={4}>
          {problem.errors.map((e) => (
            <List.Item key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** Parses JSON text or throws an error naming the field (shown like a server refusal). */
export function parseJson(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (failure) {
    throw new ApiError(400, {
      detail: `${field}: ${failure instanceof Error ? failure.message : 'invalid JSON'}`,
    });
  }
}

export function JsonField({
  label,
  value,
  onChange,
  description,
  rows = 8,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  description?: string;
  rows?: number;
}) {
  const { t } = useI18n();
  let invalid = false;
  try {
    JSON.parse(value);
  } catch {
    invalid = true;
  }
  return (
    <Textarea
      label={label}
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      autosize
      minRows={3}
      maxRows={rows * 2}
      styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
      error={invalid ? t('adm.json.invalid') : undefined}
    />
  );
}

export const numberOrUndefined = (text: string): number | undefined =>
  text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text);

/**
 * The server's refusal by field, keyed the same way whichever check produced
 * it: schema validation names `body.weekly.0.to`, the modules' own checks
 * `body.weekly[0].to`; both become `body.weekly.0.to`.
 */
export function problemFields(error: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!(error instanceof ApiError)) return fields;
  for (const { field, message } of error.problem.errors ?? []) {
    const key = field.replace(/\[(\d+)\]/g, '.$1');
    fields.set(key, fields.has(key) ? `${fields.get(key)}; ${message}` : message);
  }
  return fields;
}
