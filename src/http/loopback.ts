// Loopback: the default listen address, and the only host names a loopback-bound server answers to.

/** A listen address that only this machine can reach. */
export const isLoopbackAddress = (host: string): boolean => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host);

/** A Host header naming this machine (with or without a port). */
export const isLoopbackHostHeader = (host: string): boolean => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host);
