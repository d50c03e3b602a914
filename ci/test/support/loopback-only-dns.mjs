// Preloaded into every hello-ci subprocess the tests start (`node --import`): a stand-in for the system resolver
// that answers "localhost" itself and says ENOTFOUND for every other name, the answer RFC 6761 prescribes for
// `.invalid`. Tests thus exercise the real DNS-failure path of hello-ci without sending a packet off this machine.
import dns from "node:dns";

const loopback = (hostname) => hostname === "localhost" || hostname.endsWith(".localhost");

function notFound(hostname) {
  const error = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  error.code = "ENOTFOUND";
  error.errno = -3008;
  error.syscall = "getaddrinfo";
  error.hostname = hostname;
  return error;
}

const realLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === "function" ? options : callback;
  if (loopback(hostname) || /^[\d.]+$|:/.test(hostname)) return realLookup.call(dns, hostname, options, callback);
  process.nextTick(() => cb(notFound(hostname)));
  return {};
};
const realPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async (hostname, options) => {
  if (loopback(hostname) || /^[\d.]+$|:/.test(hostname)) return realPromisesLookup.call(dns.promises, hostname, options);
  throw notFound(hostname);
};
