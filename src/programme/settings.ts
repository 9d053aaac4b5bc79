/** A programme's own settings: timings of each flow, quiet hours, contacts. Defaults in one place. */
import { z } from 'zod';

export const settingsSchema = z.object({
  /** Days before a meeting that the mentee's prep prompt comes (moved back to a weekday). */
  prepLeadDays: z.number().int().min(0).max(14).default(2),
  /** Local hour at which the prep prompt comes. */
  prepHour: z.number().int().min(0).max(23).default(9),
  /** Local hour for nudges that have no better moment (reminders, check-ins, surveys). */
  nudgeHour: z.number().int().min(0).max(23).default(10),
  /** The rhythm the pair is expected to keep: about one meeting a month. */
  rhythmDays: z.number().int().min(7).max(90).default(30),
  /** Days past the rhythm before a pair with nothing booked counts as quiet and the mentee is nudged. */
  quietGraceDays: z.number().int().min(0).max(60).default(7),
  /** Days between the mentee's nudge and one to both, and again before the pair is flagged at risk. */
  quietEscalateDays: z.number().int().min(1).max(60).default(7),
  /**
   * Minutes a meeting's invitation or cancellation waits after the change, so a booking moved or
   * cancelled several times in a row sends one notice with the final state.
   */
  noticeDelayMinutes: z.number().int().min(0).max(60).default(5),
  /** Delivered and dropped nudges are deleted this many days later (housekeeping). */
  keepDeliveredDays: z.number().int().min(1).max(3650).default(30),
  /** Hours after a meeting's end that the mentee is asked whether it took place. */
  afterMeetingHours: z.number().int().min(0).max(72).default(3),
  /** Days after a meeting that the mentee is invited to reflect. */
  reflectionDays: z.number().int().min(1).max(14).default(3),
  /** A check-in rating at or below this flags the pair for the coordinator. */
  lowMatchScore: z.number().int().min(1).max(4).default(2),
  /** Days before the season's end that the evaluation survey comes; the reminder and the close follow. */
  surveyDaysBeforeEnd: z.number().int().min(0).max(60).default(7),
  surveyReminderDays: z.number().int().min(1).max(30).default(5),
  surveyOpenDays: z.number().int().min(2).max(60).default(14),
  /**
   * The evaluation report shows no distribution, share or average for a group with fewer answers
   * than this (it says "too few answers to show"), so nobody can be recognised from their answers.
   */
  minGroupSize: z.number().int().min(1).max(100).default(5),
  /**
   * Months after the programme closes that its free text (answers, notes, summaries, steps,
   * reflections, survey comments) and its people's contact data are deleted, keeping anonymous counts.
   */
  retentionMonths: z.number().int().min(1).max(120).default(12),
  /**
   * Who chooses the pairs: the coordinator (from the suggestions), or each mentee from their three
   * best suggestions, the mentor then accepting or declining (src/flows/mentee-picks.ts).
   */
  matching: z.enum(['coordinator', 'mentee-picks']).default('coordinator'),
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
  /** Who is responsible for the data (the /privacy and /terms pages name them). */
  privacy: z
    .object({
      /** The data controller, e.g. "Aarhus Universitet, Nordre Ringgade 1, 8000 Aarhus C". */
      controller: z.string().max(300).optional(),
      /** Where a person asks about their data, e.g. "dpo@au.dk". */
      contact: z.string().max(200).optional(),
    })
    .default({}),
});

export type ProgrammeSettings = z.infer<typeof settingsSchema>;

/** Parsed settings by their JSON: a tick asks for the same few programmes' settings many times. */
const parsed = new Map<string, ProgrammeSettings>();
const PARSED_MAX = 500;

/** The settings a programme row holds (validated); the same object for the same JSON, so do not change it. */
export function parseSettings(json: string): ProgrammeSettings {
  const known = parsed.get(json);
  if (known) return known;
  const settings = settingsSchema.parse(JSON.parse(json));
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(json, settings);
  return settings;
}

export const defaultSettings: ProgrammeSettings = settingsSchema.parse({});
