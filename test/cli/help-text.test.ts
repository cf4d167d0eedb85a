import { describe, expect, it } from 'vitest';
import { reflowDescription } from '../../src/cli/help-text.js';

describe('reflowDescription', () => {
  it('joins the source lines of a paragraph and keeps paragraph breaks, indented lines and list items', () => {
    const text = 'Reads the live state\nof every app.\n\nExit codes: 0 ok;\n1 error.\n  dify-gitops plan --env dev\n- a list item\n- another';
    expect(reflowDescription(text)).toBe('Reads the live state of every app.\n\nExit codes: 0 ok; 1 error.\n  dify-gitops plan --env dev\n- a list item\n- another');
  });

  it('leaves a one-line description alone', () => {
    expect(reflowDescription('Runs an app once.')).toBe('Runs an app once.');
  });
});
