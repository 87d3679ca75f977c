// A service for bench/reconcile-idle.mjs, small enough to run 500 of: it listens on 127.0.0.1:$PORT and answers every
// request with 200 "ok". One process, no threads, one connection at a time (a health probe is one short GET); each
// costs well under 1 MB of memory where a Node process costs about 40 MB. Built by the bench with `cc -O2 -static`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";

int main(void) {
  const char *port = getenv("PORT");
  if (!port) {
    fputs("tiny-http: PORT is not set\n", stderr);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port))};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 128) < 0) {
    perror("tiny-http");
    return 1;
  }
  printf("tiny-http listening on 127.0.0.1:%s\n", port);
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    // A client that sends nothing cannot hold the server for more than a second.
    struct timeval timeout = {.tv_sec = 1};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buf[4096];
    size_t got = 0;
    // Read the request head (up to the blank line) before answering, so that closing never resets unread data.
    while (got < sizeof buf - 1) {
      ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
      if (n <= 0) break;
      got += (size_t)n;
      buf[got] = '\0';
      if (strstr(buf, "\r\n\r\n")) break;
    }
    if (write(c, reply, sizeof reply - 1) < 0) {
      // The client went away; nothing to do.
    }
    close(c);
  }
}
