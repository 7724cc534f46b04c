import { validateSync } from 'class-validator';
import { BLANK_MESSAGE, isBlank, NotBlank } from './not-blank.decorator';

class Named {
  @NotBlank()
  name!: string;
}

const problems = (name: string) => {
  const n = new Named();
  n.name = name;
  return validateSync(n).flatMap((e) => Object.values(e.constraints ?? {}));
};

describe('not blank', () => {
  it.each(['', ' ', '\t\n', '\u3000', ' \u00a0 '])('refuses %j with the one message', (s) => {
    expect(isBlank(s)).toBe(true);
    expect(problems(s)).toEqual([BLANK_MESSAGE]);
  });

  it.each(['a', ' 客户 ', '0', '\u3000x'])('accepts %j', (s) => {
    expect(isBlank(s)).toBe(false);
    expect(problems(s)).toEqual([]);
  });

  it('counts a missing text as blank', () => {
    expect(isBlank(null)).toBe(true);
    expect(isBlank(undefined)).toBe(true);
  });
});
