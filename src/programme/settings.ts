/** A programme's own settings: timings of each flow, quiet hours, contacts. Defaults in one place. */
import { z } from 'zod';

export const settingsSchema = z.object({
  /** Days before a meeting that the mentee's prep prompt comes (moved back to a weekday). */
  prepLeadDays: z.number().int().min(0).max(14).default(2),
  /** Local hour at which the prep prompt comes. */
  prepHour: z.number().int().min(0).max(23).default(9),
  quietHours: z
    .object({
      from: z.number().int().min(0).max(24).default(20),
      until: z.number().int().min(0).max(23).default(8),
      weekends: z.boolean().default(true),
    })
    .default({ from: 20, until: 8, weekends: true }),
  contacts: z
    .object({
      coordinator: z.string().max(200).optional(),
      studyCounselling: z.string().max(200).optional(),
      wellbeing: z.string().max(200).optional(),
    })
    .default({}),
});

export type ProgrammeSettings = z.infer<typeof settingsSchema>;

export function parseSettings(json: string): ProgrammeSettings {
  return settingsSchema.parse(JSON.parse(json));
}

export const defaultSettings: ProgrammeSettings = settingsSchema.parse({});
