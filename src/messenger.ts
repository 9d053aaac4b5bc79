import type { Address, Message } from './message';

export interface Delivered {
  /** The platform's id of the delivered message (Slack ts, Teams activity id, local inbox id). */
  messageId: string;
}

/**
 * The Messenger port: deliver a Message to an address. A delivery is accepted (resolves) or
 * rejected with a DeliveryError saying whether to try again and when.
 */
export interface Messenger {
  /** The platforms (address prefixes) this messenger can reach. */
  readonly platforms: readonly string[];
  deliver(address: Address, message: Message, options: { key: string }): Promise<Delivered>;
  /**
   * After a crash between delivery and recording, asks the platform whether the message with
   * this key already arrived: the delivery, or null when it surely did not. It throws an
   * UnknownDeliveryError when it cannot tell now (history rate-limited or unreachable): the nudge
   * is then not sent, and asked about again later. Messengers that can never tell leave it out.
   */
  findDelivered?(address: Address, key: string): Promise<Delivered | null>;
  /**
   * The rate-limit scopes an address belongs to (e.g. its workspace "slack:T1" and its DM
   * "slack:T1:D42"), matching the scopeKeys of this messenger's DeliveryErrors, so a 429 for one
   * pauses every delivery in the same scope. Without it, a platform-wide 429 pauses the platform.
   */
  scopesOf?(address: Address): string[];
}

/** Routes each address to the messenger of its platform. */
export function combineMessengers(messengers: Messenger[]): Messenger {
  const byPlatform = new Map<string, Messenger>();
  for (const m of messengers) for (const p of m.platforms) byPlatform.set(p, m);
  const pick = (address: Address) => {
    const m = byPlatform.get(address.slice(0, address.indexOf(':')));
    if (!m) throw new Error(`no messenger for ${address}`);
    return m;
  };
  return {
    platforms: [...byPlatform.keys()],
    deliver: (address, message, options) => pick(address).deliver(address, message, options),
    findDelivered: async (address, key) => {
      const m = pick(address);
      return m.findDelivered ? m.findDelivered(address, key) : null;
    },
    scopesOf: (address) => pick(address).scopesOf?.(address) ?? [],
  };
}
