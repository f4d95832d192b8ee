export { PromptNotAvailableError, TextToSpeech, promptKey, shippedPromptsDir } from './tts.ts';
export type { PromptLanguage } from './tts.ts';
export { PocketsphinxRecognizer, SpeechRecognizerUnavailableError } from './asr.ts';
export type { DigitRecognition, DigitRecognitionOptions, SpeechRecognizer } from './asr.ts';
export { format as spokenForm, SpokenFormError } from './spoken.ts';
