import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { Organization } from './types.ts';

/** The organizations the signed-in user works for (a client viewer: only its own). */
export function useOrganizations(): { organizations: Organization[]; error: boolean } {
  const [organizations, setOrganizations] = useState<Organization[]>([]);
  const [error, setError] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api<{ items: Organization[] }>('GET', '/api/organizations', undefined, { signal: controller.signal })
      .then((page) => setOrganizations(page.items))
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) {
          console.error(failure);
          setError(true);
        }
      });
    return () => controller.abort();
  }, []);
  return { organizations, error };
}
