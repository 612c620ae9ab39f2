// The engine's problems in English, by code (server/engine/messages.ts): the engine's own wording, with a hint where
// an advisor needs one more than an API client does.
import { ENGLISH, type EngineDictionary } from '../../../server/engine/index.ts';

export const engineEn: EngineDictionary = {
  messages: {
    ...ENGLISH.messages,
    FEEL_UNKNOWN_NAME: "unknown name '{name}': not an input of this table (if you mean text, put it in quotes: \"{name}\")",
  },
  types: ENGLISH.types,
};
