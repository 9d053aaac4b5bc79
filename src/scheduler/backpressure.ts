/**
 * Back-pressure per platform, not per nudge. A 429's Retry-After pauses its scope (a workspace, the
 * whole platform, or one conversation) for every delivery; an outage opens the platform's circuit
 * after a few failures in a row, and while it is open nothing is tried (and nothing counts as an
 * attempt); after the cool-down one delivery tries again (half-open) and closes it on success.
 */

/** How long deliveries wait while one probes a scope whose pause just ended. */
const PROBE_WAIT_MS = 1_000;

export interface CircuitOptions {
  /** Outage failures in a row that open the circuit. */
  threshold: number;
  /** The first cool-down; it doubles each time a trial fails, up to `maxCooldownMs`. */
  cooldownMs: number;
  maxCooldownMs: number;
}

interface Circuit {
  failures: number;
  openUntil: number;
  cooldownMs: number;
  trialInFlight: boolean;
}

export class BackPressure {
  private readonly pauses = new Map<string, number>();
  private readonly probing = new Set<string>();
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly options: CircuitOptions) {}

  /** Pauses a scope until `until` (a later pause wins). */
  pause(scopeKey: string, until: number): void {
    this.pauses.set(scopeKey, Math.max(this.pauses.get(scopeKey) ?? 0, until));
    this.probing.delete(scopeKey);
  }

  /** A probe that failed otherwise than with a 429 (the scope stays as it was; another may probe). */
  probeEnded(scopeKeys: readonly string[]): void {
    for (const key of scopeKeys) this.probing.delete(key);
  }

  /**
   * Until when any of these scopes is paused, or null when a delivery may go. When a pause has just
   * ended, one delivery probes first; the others wait a moment until it has been accepted, so a storm
   * costs about one request per Retry-After window, not one per waiting message.
   */
  pausedUntil(scopeKeys: readonly string[], now: number): number | null {
    let until: number | null = null;
    for (const key of scopeKeys) {
      const at = this.pauses.get(key);
      if (at !== undefined && at > now) until = Math.max(until ?? 0, at);
    }
    if (until !== null) return until;
    const ended = scopeKeys.filter((key) => this.pauses.has(key));
    if (ended.length === 0) return null;
    if (ended.some((key) => this.probing.has(key))) return now + PROBE_WAIT_MS;
    for (const key of ended) this.probing.add(key);
    return null;
  }

  /** A delivery in these scopes was accepted: their pauses are over for good. */
  accepted(scopeKeys: readonly string[]): void {
    for (const key of scopeKeys) {
      this.pauses.delete(key);
      this.probing.delete(key);
    }
  }

  /** Until when the platform's circuit stays open, or null when a delivery may go (one trial when half-open). */
  blockedUntil(platform: string, now: number): number | null {
    const c = this.circuits.get(platform);
    if (!c || c.failures < this.options.threshold) return null;
    if (c.openUntil > now) return c.openUntil;
    if (c.trialInFlight) return now + 1_000;
    c.trialInFlight = true;
    return null;
  }

  /** An outage: returns whether the circuit is (now) open, so the attempt does not count. */
  outage(platform: string, now: number): boolean {
    const c = this.circuits.get(platform) ?? { failures: 0, openUntil: 0, cooldownMs: this.options.cooldownMs, trialInFlight: false };
    const wasOpen = c.failures >= this.options.threshold;
    c.failures += 1;
    if (c.failures >= this.options.threshold) {
      if (wasOpen) c.cooldownMs = Math.min(c.cooldownMs * 2, this.options.maxCooldownMs);
      c.openUntil = now + c.cooldownMs;
    }
    c.trialInFlight = false;
    this.circuits.set(platform, c);
    return c.failures >= this.options.threshold;
  }

  /** The platform accepted a delivery: its circuit closes. */
  success(platform: string): void {
    this.circuits.delete(platform);
  }

  /** Open circuits and paused scopes, for health reports. */
  problems(now: number): string[] {
    const out: string[] = [];
    for (const [platform, c] of this.circuits) if (c.failures >= this.options.threshold && c.openUntil > now) out.push(`${platform} unreachable: deliveries wait until ${new Date(c.openUntil).toISOString()}`);
    for (const [key, until] of this.pauses) if (until > now) out.push(`${key} rate-limited until ${new Date(until).toISOString()}`);
    return out;
  }

  /** The earliest moment a pause or circuit ends (to wake then), or null. */
  nextChange(now: number): number | null {
    const times = [...this.pauses.values(), ...[...this.circuits.values()].map((c) => c.openUntil)].filter((t) => t > now);
    return times.length ? Math.min(...times) : null;
  }
}
