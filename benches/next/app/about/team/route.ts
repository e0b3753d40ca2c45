export async function GET() {
  return new Response('team', { headers: { 'content-type': 'text/plain; charset=utf-8' } })
}
