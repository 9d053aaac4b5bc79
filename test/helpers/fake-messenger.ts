import { DeliveryError } from '../../src/errors';
import type { Address, Message } from '../../src/message';
import type { Delivered, Messenger } from '../../src/messenger';

export interface Delivery {
  address: Address;
  /** The nudge's key; for a bundle, one Delivery is recorded per nudge it carried. */
  key: string;
  message: Message;
  messageId: string;
  /** The key the bundle went out under, when several nudges went as one message. */
  bundleKey?: string;
}

/** The nudges a delivery key stands for: itself, or every member of a bundle ("bundle:a + b"). */
export const keysOf = (key: string): string[] => (key.startsWith('bundle:') ? key.slice('bundle:'.length).split(' + ') : [key]);

/**
 * A working in-memory Messenger for the 'test' platform: it records every accepted delivery,
 * can be told to refuse the next ones, and answers findDelivered from what it recorded.
 */
export interface FakeMessenger extends Messenger {
  deliveries: Delivery[];
  /** Refuse the next `count` deliveries with this error. */
  failNext(count: number, error?: Error): void;
  to(address: Address): Delivery[];
  /** Deliveries of one kind of nudge (keys start with the kind). */
  ofKind(kind: string, address?: Address): Delivery[];
  /** Forget findDelivered, like a platform that cannot tell whether a message arrived. */
  blind(): FakeMessenger;
}

export function createFakeMessenger(): FakeMessenger {
  const deliveries: Delivery[] = [];
  let failures: Error[] = [];
  const fake: FakeMessenger = {
    platforms: ['test'],
    deliveries,
    async deliver(address, message, { key }) {
      const failure = failures.shift();
      if (failure) throw failure;
      const messageId = `m${deliveries.length + 1}`;
      const bundleKey = key.startsWith('bundle:') ? key : undefined;
      for (const k of keysOf(key)) deliveries.push({ address, key: k, message, messageId, ...(bundleKey ? { bundleKey } : {}) });
      return { messageId };
    },
    async findDelivered(_address, key): Promise<Delivered | null> {
      const hit = deliveries.find((d) => d.key === key || d.bundleKey === key);
      return hit ? { messageId: hit.messageId } : null;
    },
    failNext(count, error = new DeliveryError('the platform is down', true)) {
      failures = Array.from({ length: count }, () => error);
    },
    to: (address) => deliveries.filter((d) => d.address === address),
    ofKind: (kind, address) => deliveries.filter((d) => d.key.startsWith(`${kind}:`) && (!address || d.address === address)),
    blind() {
      delete (fake as Partial<FakeMessenger>).findDelivered;
      return fake;
    },
  };
  return fake;
}
