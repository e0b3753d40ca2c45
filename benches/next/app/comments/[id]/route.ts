import { comments } from '@/lib/store'

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  const comment = comments().find((c) => String(c.id) === id)
  if (!comment) return new Response(null, { status: 404 })
  return Response.json(comment)
}
