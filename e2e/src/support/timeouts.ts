// Real-engine tests build images under QEMU: give each test up to 15 minutes (the default is 5 seconds).
jest.setTimeout(15 * 60 * 1000);
