/** What every use case needs: the store, the clock, the texts, a logger, the defaults. */
import type { Clock } from './clock';
import type { Logger } from './log';
import type { SeasonEvent } from './events';
import type { Db } from './store/database';
import type { Catalog } from './text/catalog';
import type { Locale } from './text/locale';

export interface Core {
  db: Db;
  clock: Clock;
  text: Catalog;
  log: Logger;
  defaults: { locale: Locale; timezone: string };
  /** Tells the scheduler that something may be due now (e.g. a message to the mentor); set by assemble(). */
  wake: () => void;
  /** Tells every flow what happened to a meeting, so each plans what follows; set by openCore(). */
  announce: (event: SeasonEvent) => void;
}
