import { NextResponse } from 'next/server'

export function proxy() {
  const res = NextResponse.next()
  res.headers.set('x-mw', '1')
  return res
}

export const config = { matcher: ['/about/:path*'] }
