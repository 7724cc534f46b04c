import { attachmentProblems } from './moment-rules';

const img = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'IMAGE', url: `https://cdn.test/${i}.jpg` }));

describe('attachmentProblems', () => {
  it('accepts none, up to 9 images, one video, one titled link', () => {
    expect(attachmentProblems([])).toEqual([]);
    expect(attachmentProblems(img(9))).toEqual([]);
    expect(attachmentProblems([{ type: 'VIDEO', url: 'https://v.test/a.mp4' }])).toEqual([]);
    expect(attachmentProblems([{ type: 'LINK', url: 'https://x.test', title: 'Spring sale' }])).toEqual([]);
  });

  it('names the field of each violation', () => {
    expect(attachmentProblems(img(10))).toEqual([
      { field: 'input.attachments', message: 'must hold at most 9 images (got 10)' },
    ]);
    expect(attachmentProblems([...img(1), { type: 'VIDEO', url: 'https://v.test/a.mp4' }])[0].field).toBe(
      'input.attachments[1].type',
    );
    expect(
      attachmentProblems([
        { type: 'VIDEO', url: 'https://a' },
        { type: 'VIDEO', url: 'https://b' },
      ])[0].field,
    ).toBe('input.attachments[1]');
    expect(attachmentProblems([{ type: 'LINK', url: 'https://x.test', title: '  ' }])).toEqual([
      { field: 'input.attachments[0].title', message: 'a LINK needs a title' },
    ]);
  });
});
