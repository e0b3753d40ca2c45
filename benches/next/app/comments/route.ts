import { comments, reset } from '@/lib/store'

export async function GET() {
  return Response.json(comments())
}

export async function POST(request: Request) {
  const { text } = await request.json()
  if (comments().length >= 1000) reset()
  const all = comments()
  const comment = { id: all[all.length - 1].id + 1, text }
  all.push(comment)
  return Response.json(comment, { status: 201 })
}
