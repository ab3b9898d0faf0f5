import { createEhrmsClient } from '@ehrms/sdk';
import { ApiError, networkProblem } from '../api/errors.js';
import type { Authenticated, User } from '../api/types.js';

/*
 * Where the tokens live, and why:
 * - The access token is kept in memory only (this module), so a script that can read storage
 *   cannot lift a token that works against the API, and it dies with the tab.
 * - The refresh token is kept in sessionStorage. The API has no cookie-based session yet (an
 *   HttpOnly, SameSite=Strict refresh cookie is the better home and is the plan once the API
 *   offers it); until then sessionStorage is the least-bad place: scoped to this tab, cleared
 *   when it closes, not sent with requests, and it lets a page reload restore the session.
 *   Refresh tokens rotate on every use and a reused one revokes the whole session family, which
 *   bounds the damage of a stolen one. A tab duplicated by the browser copies sessionStorage;
 *   whichever copy refreshes second is signed out by that reuse detection (by design).
 * - The access token is renewed ~60 s before it expires, and once more on a 401; all callers
 *   share one in-flight refresh, since two refreshes with the same token would trip reuse
 *   detection. If the refresh fails, the session ends and the app goes to the login page.
 */

const REFRESH_TOKEN_KEY = 'ehrms.refreshToken';
/** Renew this long before the access token expires. */
const REFRESH_LEAD_SECONDS = 60;

export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out';

export interface SessionSnapshot {
  status: SessionStatus;
  user: User | null;
  /** Why the last session ended: the user signed out, or it could not be renewed. */
  ended: 'signed-out' | 'expired' | null;
}

type Listener = () => void;

// Renewal and sign-out go through a client of their own: the app's client renews tokens on a
// 401, and a renewal must never trigger another renewal.
const tokenClient = createEhrmsClient({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  getAccessToken: () => null,
});

class BrowserSession {
  private accessToken: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();
  private snapshot: SessionSnapshot = { status: 'signed-out', user: null, ended: null };

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** The current access token, or null when signed out. Never persisted. */
  token(): string | null {
    return this.accessToken;
  }

  /** Starts a session from a successful login, MFA step or refresh. */
  establish(auth: Authenticated): void {
    this.accessToken = auth.accessToken;
    writeRefreshToken(auth.refreshToken);
    this.schedule(auth.expiresIn);
    this.set({ status: 'signed-in', user: auth.user, ended: null });
  }

  /** On page load: trade a stored refresh token for a fresh access token, if there is one. */
  restore(): Promise<boolean> {
    if (!readRefreshToken()) {
      this.set({ status: 'signed-out', user: null, ended: null });
      return Promise.resolve(false);
    }
    this.set({ ...this.snapshot, status: 'restoring' });
    return this.refresh();
  }

  /** Renews the access token; concurrent callers share one request. Resolves false when the session ended. */
  refresh(): Promise<boolean> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Ends the session on the server (best effort) and here. */
  async signOut(): Promise<void> {
    const token = this.accessToken;
    this.clear({ status: 'signed-out', user: null, ended: 'signed-out' });
    if (!token) return;
    await tokenClient
      .POST('/api/v1/identity/auth/logout', { headers: { authorization: `Bearer ${token}` } })
      .catch(() => undefined);
  }

  /** The session can no longer be renewed: forget it and send the user to the login page. */
  expire(): void {
    this.clear({ status: 'signed-out', user: null, ended: 'expired' });
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = readRefreshToken();
    if (!refreshToken) {
      this.expireIfSignedIn();
      return false;
    }
    let answer: Awaited<ReturnType<typeof renew>>;
    try {
      answer = await renew(refreshToken);
    } catch {
      // Offline: keep the refresh token and try again on the next call or timer.
      if (this.snapshot.status === 'restoring') this.set({ ...this.snapshot, status: 'signed-out' });
      else this.schedule(2 * REFRESH_LEAD_SECONDS - 30);
      throw new ApiError(0, networkProblem);
    }
    if (!answer.data) {
      this.expireIfSignedIn();
      return false;
    }
    this.establish(answer.data);
    return true;
  }

  private expireIfSignedIn(): void {
    const wasSignedIn = this.snapshot.status !== 'signed-out' || this.accessToken !== null;
    this.clear({ status: 'signed-out', user: null, ended: wasSignedIn ? 'expired' : null });
  }

  private schedule(expiresInSeconds: number): void {
    clearTimeout(this.timer);
    const seconds = Math.max(expiresInSeconds - REFRESH_LEAD_SECONDS, expiresInSeconds / 2, 5);
    this.timer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, seconds * 1000);
  }

  private clear(next: SessionSnapshot): void {
    clearTimeout(this.timer);
    this.accessToken = null;
    removeRefreshToken();
    this.set(next);
  }

  private set(next: SessionSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

export const session = new BrowserSession();

function renew(refreshToken: string) {
  return tokenClient.POST('/api/v1/identity/auth/refresh', { body: { refreshToken } });
}

function readRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_TOKEN_KEY);
  } catch {
    return null;
  }
}

function writeRefreshToken(token: string): void {
  try {
    sessionStorage.setItem(REFRESH_TOKEN_KEY, token);
  } catch {
    // Storage disabled: the session still works until the page is reloaded.
  }
}

function removeRefreshToken(): void {
  try {
    sessionStorage.removeItem(REFRESH_TOKEN_KEY);
  } catch {
    // nothing stored
  }
}
