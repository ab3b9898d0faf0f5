import type { MouseEvent } from 'react';

/** A place in the app the navbar links to. */
export interface NavLinkItem {
  href: string;
  label: string;
  description?: string;
}

/** Client-side navigation supplied by the app (the library does not depend on a router). */
export type Navigate = (href: string) => void;

/**
 * Click handler for a real `<a href>` that hands plain left-clicks to the app's router and leaves
 * new-tab clicks (modifier keys, middle button) to the browser.
 */
export function routedClick(href: string, navigate: Navigate | undefined) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (!navigate || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
}

/** True when `path` is the link's page or a page beneath it (`/admin/users/42` under `/admin/users`). */
export function isActivePath(href: string, path: string): boolean {
  if (href === '/') return path === '/';
  return path === href || path.startsWith(`${href}/`);
}
