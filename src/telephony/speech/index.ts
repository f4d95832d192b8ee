export { PromptNotAvailableError, TextToSpeech, promptKey, shippedPromptsDir } from './tts.ts';
export type { PromptLanguage } from './tts.ts';
