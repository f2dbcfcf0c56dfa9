// Prisma CLI 6.19 configuration the peer tests use (tests/peers/install.sh): `prisma migrate`
// runs the WebAssembly schema engine through the pg driver adapter, so no native engine
// is downloaded. The connection comes from DATABASE_URL (the password from PGPASSWORD).
import { defineConfig } from 'prisma/config'
import { PrismaPg } from '@prisma/adapter-pg'

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
})
