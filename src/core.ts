/** What every use case needs: the store, the clock, the texts, a logger, the defaults. */
import type { Clock } from './clock';
import type { Logger } from './log';
import type { CoreMetrics } from './metrics/recorder';
import type { SeasonEvent } from './events';
import type { Db } from './store/database';
import type { Catalog } from './text/catalog';
import type { Locale } from './text/locale';

export interface Core {
  db: Db;
  clock: Clock;
  text: Catalog;
  log: Logger;
  /** Counters for /metrics; they do nothing unless the server plugged Prometheus in (openCore's `metrics`). */
  metrics: CoreMetrics;
  defaults: { locale: Locale; timezone: string };
  /** The mailbox named ORGANIZER in calendar invitations (CALENDAR_ORGANIZER); without it they are published. */
  calendarOrganizer?: string;
  /** Tells the scheduler that something may be due now (e.g. a message to the mentor); set by assemble(). */
  wake: () => void;
  /** Tells every flow what happened to a meeting, so each plans what follows; set by openCore(). */
  announce: (event: SeasonEvent) => void;
}
