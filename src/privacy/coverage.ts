/**
 * Where each table of the store appears in a person's export (mydata and export-person), or why it
 * does not. A test compares this with the tables in sqlite_master, so a new table cannot be
 * forgotten: add it here, and to gather.ts when it holds something about a person.
 */
export const exportCoverage: Readonly<Record<string, string>> = {
  people: 'person',
  identities: 'person.identities',
  teams_conversations: 'person.identities[].teams',
  slack_questions: 'person.identities[].slackQuestionWaiting',
  participants: 'roles',
  pairs: 'pairs (at-risk flags are the coordinator’s view of the pair and could reveal the partner’s check-in: not exported)',
  meetings: 'meetings',
  preps: 'preparations',
  prep_answers: 'preparations (a mentor gets only what the mentee shared)',
  summaries: 'summaries',
  action_items: 'steps (the person’s own) and summaries[].steps',
  agreements: 'agreement (the person’s own answers)',
  reflections: 'reflections',
  checkins: 'checkins',
  survey_responses: 'surveys',
  dialogues: 'conversation.questions',
  nudges: 'conversation.messages',
  local_inbox: 'conversation.localChat',
  programmes: 'not about a person: named in roles, pairs and surveys',
  signposts: 'not about a person: an anonymous count',
  slack_events: 'not about a person: event ids seen, for deduplication',
  slack_channels: 'not exported: the id of the DM channel with the bot (removed on erasure)',
  slack_sends: 'not exported: which nudge was posted when, for never posting twice (removed on erasure)',
  slack_unjournalled_users: 'not exported: users an older version may have posted to (removed on erasure)',
  teams_journal: 'not exported: which nudge was sent when, for never sending twice (removed on erasure)',
  kv: 'not about a person: small settings',
  schema_migrations: 'not about a person: the schema version',
};
