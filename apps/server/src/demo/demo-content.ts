/**
 * What a fresh install starts with, so `/start` in the playground shows a keyboard that does
 * something: a scenario, the task list and the Mini App. Plain service inputs: every field is
 * validated by the services exactly as an admin's would be.
 */

/** The demo scenario: a text, then a question whose answer goes to the user's profile. */
export const DEMO_SCENARIO = {
  name: 'Welcome tour',
  command: 'tour',
  steps: [
    {
      type: 'text',
      text: 'Hi! This bot is a demo of the hybridstate platform: its buttons, scenarios and tasks are edited in the admin panel at /admin/.',
    },
    {
      type: 'ask',
      text: 'What should we call you? (your answer is kept in your profile)',
      field: 'nickname',
      store: 'profile',
    },
    { type: 'text', text: 'Thanks! Open "Tasks" to earn your first reward.' },
  ],
} as const;

/** The main keyboard; the scenario button's payload is filled in with the scenario's id. */
export const DEMO_BUTTONS = [
  { label: 'Welcome tour', action: 'scenario', position: 0 },
  { label: 'Tasks', action: 'tasks', position: 1 },
  { label: 'Open the Mini App', action: 'mini_app', position: 2 },
] as const;

/** One task of each type: a link, a quiz and one an admin reviews. */
export const DEMO_TASKS = [
  {
    title: 'Read about Telegram Mini Apps',
    description: 'Open the link, then press Done.',
    rewardMinor: 50,
    type: 'link',
    url: 'https://core.telegram.org/bots/webapps',
  },
  {
    title: 'Quick quiz',
    description: 'Answer in one word.',
    rewardMinor: 100,
    type: 'quiz',
    question: 'Which database keeps the durable copy of the data: Redis or PostgreSQL?',
    answer: 'PostgreSQL',
  },
  {
    title: 'Tell us what you would build',
    description: 'Submit for review: an admin approves it in the panel (Reviews) and it pays.',
    rewardMinor: 200,
    type: 'manual',
  },
] as const;
