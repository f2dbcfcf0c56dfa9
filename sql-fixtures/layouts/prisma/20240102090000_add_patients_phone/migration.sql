-- AlterTable
ALTER TABLE "patients" ADD COLUMN "phone" TEXT;
