/**
 * A section of index.html and the small pieces every section's body starts with.
 */
import { escapeHtml } from './html-parts.js';

/** One section of the page: an id for the contents, a heading and its body. */
export interface PageSection {
  id: string;
  heading: string;
  body: string;
}

/** A section of the page from its parts. */
export function section(id: string, heading: string, body: string): PageSection {
  return { id, heading, body };
}

// Text between backticks in a plain-text lead becomes <code>; everything is escaped first.
export function lead(text: string): string {
  if (text === '') return '';
  return `<p class="lead">${escapeHtml(text).replace(/`([^`]*)`/g, '<code>$1</code>')}</p>`;
}
