/** Body of `POST /login`. */
export interface LoginBody {
  readonly email: string;
  readonly password: string;
}

/** JSON schema of {@link LoginBody} (Fastify validates it before the handler runs). */
export const LOGIN_BODY_SCHEMA = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: {
    email: { type: 'string', minLength: 3, maxLength: 255 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;
