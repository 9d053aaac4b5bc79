/**
 * Teams' limits per conversation: at most 7 messages a second and 60 in 30 seconds. A sliding
 * window per conversation makes a sender wait for its turn, while other conversations go on.
 */
export interface Limit {
  count: number;
  ms: number;
}

export const TEAMS_LIMITS: Limit[] = [
  { count: 7, ms: 1_000 },
  { count: 60, ms: 30_000 },
];

export class ConversationPace {
  private readonly sent = new Map<string, number[]>();
  private readonly longest: number;

  constructor(
    private readonly limits: Limit[] = TEAMS_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.longest = Math.max(...limits.map((l) => l.ms));
  }

  /** How long a message to `conversation` must wait now (0: it may go). */
  delay(conversation: string): number {
    const now = this.now();
    const times = (this.sent.get(conversation) ?? []).filter((t) => t > now - this.longest);
    this.sent.set(conversation, times);
    let wait = 0;
    for (const { count, ms } of this.limits) {
      const recent = times.filter((t) => t > now - ms);
      if (recent.length >= count) wait = Math.max(wait, recent[recent.length - count]! + ms - now);
    }
    return wait;
  }

  /** Waits for the conversation's turn and takes it. */
  async take(conversation: string): Promise<void> {
    for (let wait = this.delay(conversation); wait > 0; wait = this.delay(conversation)) await new Promise((resolve) => setTimeout(resolve, wait));
    this.sent.get(conversation)!.push(this.now());
  }
}
