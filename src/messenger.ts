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
   * this key already arrived. Messengers that cannot tell leave it out; the nudge is then sent again.
   */
  findDelivered?(address: Address, key: string): Promise<Delivered | null>;
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
  };
}
