/** Types of the `ahocorasick` package (it ships none): what ChatMatcher uses. */
declare module 'ahocorasick' {
  class AhoCorasick {
    constructor(keywords: string[]);
    /** Each match's last UTF-16 index, with every keyword ending there. */
    search(text: string): Array<[number, string[]]>;
  }
  export = AhoCorasick;
}
