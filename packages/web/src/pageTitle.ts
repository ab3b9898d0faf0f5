import { useEffect } from 'react';

/** Sets the browser tab title, so each screen is announced and findable by name. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · EHRMS`;
  }, [title]);
}
