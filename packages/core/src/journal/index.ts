export { journal, type JournalEntry, type JournalOptions, type RequestJournal } from './journal.js';
