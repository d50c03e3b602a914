/** The HelloAgents API bodies the smoke suite reads (backend/app/schemas.py). Extra fields are allowed: additions are not breakage. */
import { z } from "zod";

export const providerSchema = z.enum(["anthropic", "openai"]);

export const agentSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  provider: providerSchema,
  model: z.string().min(1),
  system_prompt: z.string(),
  created_at: z.iso.datetime({ offset: true, local: true }),
  updated_at: z.iso.datetime({ offset: true, local: true }),
});

export const agentPageSchema = z.object({
  items: z.array(agentSchema),
  total: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
});

export type Agent = z.infer<typeof agentSchema>;
export type AgentPage = z.infer<typeof agentPageSchema>;
