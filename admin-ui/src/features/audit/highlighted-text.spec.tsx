import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HighlightedText } from './highlighted-text';

describe('HighlightedText', () => {
  it('wraps each match in <mark> and never turns the message into markup', () => {
    const text = '<img src=x onerror="window.__injected=1"> 价格 <b>bold</b> 价格';
    const { container } = render(<HighlightedText text={text} query="价格" />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['价格', '价格']);
    expect(container.textContent).toBe(text);
  });
});
