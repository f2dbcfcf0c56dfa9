-- migsafe:allow MS-BRK-01 the fee is only ever the default until the next release
ALTER TABLE orders DROP COLUMN fee;
