export type Comment = { id: number; text: string }

const seeds = (): Comment[] => [
  { id: 1, text: 'This is the first comment' },
  { id: 2, text: 'This is the second comment' },
  { id: 3, text: 'This is the third comment' },
]

const g = globalThis as unknown as { __comments?: Comment[] }

export function comments(): Comment[] {
  if (!g.__comments) g.__comments = seeds()
  return g.__comments
}

export function reset() {
  g.__comments = seeds()
}
