/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qmp.c: run QEMU with a private QMP monitor and exchange commands, within a deadline */
#include "cpuscope/qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cpuscope/xalloc.h"

#define STDERR_MAX   (64u * 1024u)         /* QEMU's diagnostics kept */
#define MESSAGE_MAX  (16u * 1024u * 1024u) /* one QMP message */
#define QUIT_GRACE   2000u                 /* ms for QEMU to obey "quit" */
#define TERM_GRACE   300u                  /* ms between SIGTERM and SIGKILL */
#define CHILD_QMP_FD 3                     /* where QEMU finds its end of the socket pair */
#define FD_FLOOR     10                    /* our fds are moved at least this high before fork */

struct cs_qmp {
	char *binary;
	pid_t pid;
	int sock;          /* our end of the QMP socket pair, -1 once closed */
	int errfd;         /* QEMU's stdout and stderr, -1 at EOF */
	uint64_t deadline; /* CLOCK_MONOTONIC, ms */
	struct json_tokener *tok;
	char rbuf[8192];
	size_t rpos, rlen;
	size_t msglen; /* bytes fed to tok for the message being read */
	char *errbuf;  /* NUL-terminated */
	size_t errlen;
	struct json_object *greeting;
	unsigned long next_id;
	bool exited; /* channel closed by QEMU, or QEMU gone */
	bool ready;  /* in command mode */
	bool reaped;
	int status;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Milliseconds left before the deadline, for poll(). */
static int remaining_ms(const struct cs_qmp *q)
{
	uint64_t now = now_ms();

	if (now >= q->deadline)
		return 0;
	return q->deadline - now > INT32_MAX ? INT32_MAX : (int)(q->deadline - now);
}

/* Read what QEMU wrote on its stderr without blocking; keep the first
 * STDERR_MAX bytes and drop the rest, so that QEMU never blocks on it. */
static void drain_stderr(struct cs_qmp *q)
{
	char buf[4096];

	while (q->errfd >= 0) {
		ssize_t n = read(q->errfd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close(q->errfd);
			q->errfd = -1;
			return;
		}
		if (q->errlen < STDERR_MAX) {
			size_t take = (size_t)n;

			if (take > STDERR_MAX - q->errlen)
				take = STDERR_MAX - q->errlen;
			memcpy(q->errbuf + q->errlen, buf, take);
			q->errlen += take;
			q->errbuf[q->errlen] = '\0';
		}
	}
}

/* Wait until the socket has events (want: POLLIN or POLLOUT), reading
 * stderr meanwhile.  Returns 1 when it has, 0 at the deadline, -1 on a
 * poll failure. */
static int wait_socket(struct cs_qmp *q, short want)
{
	for (;;) {
		struct pollfd p[2] = {{.fd = q->sock, .events = want},
		                      {.fd = q->errfd, .events = POLLIN}};
		int left = remaining_ms(q), n;

		if (left == 0)
			return 0;
		n = poll(p, 2, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (p[1].revents)
			drain_stderr(q);
		if (p[0].revents)
			return 1;
	}
}

/* ---- Starting ---------------------------------------------------------- */

/* Move fd to FD_FLOOR or above, close-on-exec, so that the child's dup2()
 * onto 0..3 cannot clobber another of its sources. */
static int lift_fd(int fd)
{
	int high;

	if (fd < 0 || fd >= FD_FLOOR)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, FD_FLOOR);
	close(fd);
	return high;
}

/* In the child: set up fds 0..3 and exec, reporting an exec failure's errno
 * on report.  Only async-signal-safe calls here. */
__attribute__((noreturn)) static void child_exec(char *const *argv, int qmp, int errw, int report)
{
	sigset_t none;
	int null, e;

	/* A group of its own: stopping QEMU reaches whatever it starts, and a
	 * terminal's Ctrl-C, meant for the caller, does not reach QEMU. */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(errw, 1) < 0 || dup2(errw, 2) < 0 ||
	    dup2(qmp, CHILD_QMP_FD) < 0)
		goto fail;
	/* Nothing else of the caller's reaches QEMU (report closes on exec). */
	for (int fd = CHILD_QMP_FD + 1; fd < FD_FLOOR; fd++)
		close(fd);
	close_range(FD_FLOOR, ~0u, CLOSE_RANGE_CLOEXEC);
	execv(argv[0], argv);
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) < 0) {
		/* nothing more can be said */
	}
	_exit(127);
}

static char **build_argv(const char *binary, const char *const *args, size_t nargs)
{
	char **argv = cs_xcalloc(nargs + 6, sizeof(*argv));
	size_t n = 0;

	argv[n++] = cs_xstrdup(binary);
	for (size_t i = 0; i < nargs; i++)
		argv[n++] = cs_xstrdup(args[i]);
	argv[n++] = cs_xstrdup("-chardev");
	argv[n++] = cs_xasprintf("socket,id=cs-qmp,fd=%d", CHILD_QMP_FD);
	argv[n++] = cs_xstrdup("-mon");
	argv[n++] = cs_xstrdup("chardev=cs-qmp,mode=control");
	return argv;
}

static void free_argv(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static void close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fds[0] = fds[1] = -1;
}

/* Fork and exec QEMU; fills q->pid, q->sock, q->errfd. */
static int spawn(struct cs_qmp *q, char **argv, struct cs_error *err)
{
	int sv[2] = {-1, -1}, ep[2] = {-1, -1}, xp[2] = {-1, -1};
	int e = 0, ret = -1;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    pipe2(ep, O_CLOEXEC) < 0 || pipe2(xp, O_CLOEXEC) < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, q->binary, 0, "cannot create pipes: %s",
		             strerror(errno));
		goto out;
	}
	sv[1] = lift_fd(sv[1]);
	ep[1] = lift_fd(ep[1]);
	xp[1] = lift_fd(xp[1]);
	if (sv[1] < 0 || ep[1] < 0 || xp[1] < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, q->binary, 0, "cannot move descriptors: %s",
		             strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, q->binary, 0, "cannot fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(argv, sv[1], ep[1], xp[1]);
	/* Both sides set the group, so that it exists whichever runs first. */
	setpgid(pid, pid);
	q->pid = pid;
	close(sv[1]);
	close(ep[1]);
	close(xp[1]);
	sv[1] = ep[1] = xp[1] = -1;
	/* The report pipe closes on a successful exec, or carries errno. */
	do
		n = read(xp[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, &q->status, 0);
		q->reaped = true;
		cs_error_set(err, CS_ERR_SYSTEM, q->binary, 0, "cannot run: %s", strerror(e));
		goto out;
	}
	q->sock = sv[0];
	q->errfd = ep[0];
	sv[0] = ep[0] = -1;
	fcntl(q->sock, F_SETFL, fcntl(q->sock, F_GETFL) | O_NONBLOCK);
	fcntl(q->errfd, F_SETFL, fcntl(q->errfd, F_GETFL) | O_NONBLOCK);
	ret = 0;
out:
	close_pair(sv);
	close_pair(ep);
	close_pair(xp);
	return ret;
}

/* ---- Messages ------------------------------------------------------------ */

static void mark_exited(struct cs_qmp *q)
{
	q->exited = true;
	if (q->sock >= 0) {
		close(q->sock);
		q->sock = -1;
	}
}

/* Parse the next message from what has been received, reading more as
 * needed.  Returns 0 with *msg (an object), -1 on error, EOF or timeout. */
static int read_message(struct cs_qmp *q, struct json_object **msg, struct cs_error *err)
{
	*msg = NULL;
	for (;;) {
		if (q->rpos < q->rlen) {
			size_t avail = q->rlen - q->rpos;
			struct json_object *o =
			        json_tokener_parse_ex(q->tok, q->rbuf + q->rpos, (int)avail);
			enum json_tokener_error je = json_tokener_get_error(q->tok);

			if (o) {
				q->rpos += json_tokener_get_parse_end(q->tok);
				json_tokener_reset(q->tok);
				q->msglen = 0;
				if (!json_object_is_type(o, json_type_object)) {
					json_object_put(o);
					cs_error_set(err, CS_ERR_SYNTAX, q->binary, 0,
					             "not a QMP message on the monitor channel");
					return -1;
				}
				*msg = o;
				return 0;
			}
			if (je != json_tokener_continue) {
				cs_error_set(err, CS_ERR_SYNTAX, q->binary, 0,
				             "garbage on the QMP channel: %s",
				             json_tokener_error_desc(je));
				return -1;
			}
			q->msglen += avail;
			q->rpos = q->rlen;
			if (q->msglen > MESSAGE_MAX) {
				cs_error_set(err, CS_ERR_SECURITY, q->binary, 0,
				             "QMP message over %u bytes", MESSAGE_MAX);
				return -1;
			}
		}
		if (q->sock < 0) {
			cs_error_set(err, CS_ERR_IO, q->binary, 0, "QEMU closed the QMP channel");
			return -1;
		}
		int w = wait_socket(q, POLLIN);
		if (w < 0) {
			cs_error_set(err, CS_ERR_SYSTEM, q->binary, 0, "poll failed: %s",
			             strerror(errno));
			return -1;
		}
		if (w == 0) {
			cs_error_set(err, CS_ERR_IO, q->binary, 0,
			             "no answer within the time limit");
			return -1;
		}
		ssize_t n = read(q->sock, q->rbuf, sizeof(q->rbuf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n <= 0) {
			/* EOF or a reset: QEMU went away. */
			mark_exited(q);
			cs_error_set(err, CS_ERR_IO, q->binary, 0, "QEMU exited");
			return -1;
		}
		q->rpos = 0;
		q->rlen = (size_t)n;
	}
}

static int send_all(struct cs_qmp *q, const char *data, size_t len, struct cs_error *err)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n;

		if (q->sock < 0) {
			cs_error_set(err, CS_ERR_IO, q->binary, 0, "QEMU closed the QMP channel");
			return -1;
		}
		n = send(q->sock, data + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_socket(q, POLLOUT) <= 0) {
				cs_error_set(err, CS_ERR_IO, q->binary, 0,
				             "cannot send within the time limit");
				return -1;
			}
			continue;
		}
		if (n < 0) {
			mark_exited(q);
			cs_error_set(err, CS_ERR_IO, q->binary, 0, "QEMU exited");
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/* The reply's error description, for messages. */
static const char *error_desc(struct json_object *e)
{
	struct json_object *d;

	if (json_object_object_get_ex(e, "desc", &d) && json_object_is_type(d, json_type_string))
		return json_object_get_string(d);
	return "an error without description";
}

int cs_qmp_send(struct cs_qmp *q, const char *command, struct json_object *args, unsigned long *id,
                struct cs_error *err)
{
	struct json_object *cmd = json_object_new_object();
	char *line;
	int rc;

	*id = q->next_id++;
	json_object_object_add(cmd, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(cmd, "arguments", json_object_get(args));
	json_object_object_add(cmd, "id", json_object_new_int64((int64_t)*id));
	line = cs_xasprintf("%s\n", json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN));
	rc = send_all(q, line, strlen(line), err);
	json_object_put(cmd);
	free(line);
	return rc;
}

int cs_qmp_reply(struct cs_qmp *q, unsigned long id, struct json_object **ret, struct cs_error *err)
{
	struct json_object *msg = NULL, *v;
	int rc = -1;

	*ret = NULL;
	for (;;) {
		if (read_message(q, &msg, err) < 0)
			return -1;
		if (!json_object_object_get_ex(msg, "event", NULL))
			break;
		json_object_put(msg);
	}
	/* QEMU answers in order, each reply carrying the command's id. */
	if (!json_object_object_get_ex(msg, "id", &v) || json_object_get_int64(v) != (int64_t)id) {
		cs_error_set(err, CS_ERR_SYNTAX, q->binary, 0,
		             "QMP reply without the id of command %lu", id);
	} else if (json_object_object_get_ex(msg, "return", &v)) {
		*ret = json_object_get(v);
		rc = 0;
	} else if (json_object_object_get_ex(msg, "error", &v)) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, q->binary, 0, "QEMU refused command %lu: %s",
		             id, error_desc(v));
	} else {
		cs_error_set(err, CS_ERR_SYNTAX, q->binary, 0,
		             "QMP reply to command %lu has no result", id);
	}
	json_object_put(msg);
	return rc;
}

int cs_qmp_command(struct cs_qmp *q, const char *command, struct json_object *args,
                   struct json_object **ret, struct cs_error *err)
{
	struct cs_error e2 = {0};
	unsigned long id;

	*ret = NULL;
	if (cs_qmp_send(q, command, args, &id, err) < 0)
		return -1;
	if (cs_qmp_reply(q, id, ret, &e2) == 0)
		return 0;
	/* Name the command rather than its number. */
	if (e2.code == CS_ERR_UNSUPPORTED) {
		const char *desc = strstr(e2.msg, ": ");

		cs_error_set(err, CS_ERR_UNSUPPORTED, q->binary, 0, "QEMU refused %s: %s", command,
		             desc ? desc + 2 : e2.msg);
	} else if (err && err->code == CS_ERR_NONE) {
		*err = e2;
	}
	return -1;
}

/* Read the greeting and enter command mode.  A QEMU that exits meanwhile
 * is not an error here: the caller reads why from its stderr. */
static int handshake(struct cs_qmp *q, struct cs_error *err)
{
	struct cs_error e2 = {0};
	struct json_object *msg = NULL, *r = NULL;

	if (read_message(q, &msg, &e2) < 0)
		goto fail;
	if (!json_object_object_get_ex(msg, "QMP", NULL)) {
		json_object_put(msg);
		cs_error_set(&e2, CS_ERR_SYNTAX, q->binary, 0,
		             "no QMP greeting on the monitor channel");
		goto fail;
	}
	q->greeting = msg;
	if (cs_qmp_command(q, "qmp_capabilities", NULL, &r, &e2) < 0)
		goto fail;
	json_object_put(r);
	q->ready = true;
	return 0;
fail:
	if (q->exited)
		return 0;
	if (err && err->code == CS_ERR_NONE)
		*err = e2;
	return -1;
}

int cs_qmp_start(const char *binary, const char *const *args, size_t nargs, unsigned timeout_ms,
                 struct cs_qmp **out, struct cs_error *err)
{
	struct cs_qmp *q = cs_xcalloc(1, sizeof(*q));
	char **argv = build_argv(binary, args, nargs);

	*out = NULL;
	q->binary = cs_xstrdup(binary);
	q->sock = q->errfd = -1;
	q->pid = -1;
	q->deadline = now_ms() + timeout_ms;
	q->errbuf = cs_xmalloc(STDERR_MAX + 1);
	q->errbuf[0] = '\0';
	q->tok = json_tokener_new();
	json_tokener_set_flags(q->tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	q->next_id = 1;
	if (spawn(q, argv, err) < 0 || handshake(q, err) < 0) {
		free_argv(argv);
		cs_qmp_free(q);
		return -1;
	}
	free_argv(argv);
	*out = q;
	return 0;
}

struct json_object *cs_qmp_greeting(const struct cs_qmp *q)
{
	return q->greeting;
}

bool cs_qmp_has_exited(const struct cs_qmp *q)
{
	return q->exited;
}

const char *cs_qmp_stderr(const struct cs_qmp *q)
{
	return q->errbuf;
}

/* ---- Stopping ------------------------------------------------------------ */

/* Has the child exited?  WNOWAIT leaves it a zombie, so that its pid and
 * process group cannot be reused before the final SIGKILL to the group. */
static bool child_gone(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return true; /* nothing to wait for */
	return si.si_pid == pid;
}

/* Wait up to ms for the child to exit, reading its stderr meanwhile. */
static bool wait_gone(struct cs_qmp *q, unsigned ms)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		struct pollfd p = {.fd = q->errfd, .events = POLLIN};
		uint64_t now;

		if (child_gone(q->pid))
			return true;
		now = now_ms();
		if (now >= end)
			return false;
		/* Poll in short steps: the child's exit does not wake poll(). */
		if (poll(&p, 1, end - now > 10 ? 10 : (int)(end - now)) > 0)
			drain_stderr(q);
	}
}

int cs_qmp_stop(struct cs_qmp *q)
{
	if (q->reaped || q->pid < 0)
		return q->status;
	if (q->ready && !q->exited && q->sock >= 0) {
		static const char quit[] = "{\"execute\":\"quit\"}\n";

		(void)send(q->sock, quit, sizeof(quit) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	{
		int left = remaining_ms(q);
		unsigned grace = q->ready && !q->exited ? QUIT_GRACE : 0;

		if ((unsigned)left < grace)
			grace = (unsigned)left;
		if (q->exited && grace < TERM_GRACE)
			grace = TERM_GRACE; /* it is on its way out */
		if (!wait_gone(q, grace)) {
			kill(-q->pid, SIGTERM);
			kill(q->pid, SIGTERM); /* should its group be missing */
			wait_gone(q, TERM_GRACE);
		}
	}
	/* Whatever QEMU left in its group goes too.  QEMU itself is at most a
	 * zombie here, so neither number can have been reused. */
	kill(-q->pid, SIGKILL);
	kill(q->pid, SIGKILL);
	while (waitpid(q->pid, &q->status, 0) < 0 && errno == EINTR)
		;
	q->reaped = true;
	q->exited = true;
	if (q->sock >= 0) {
		close(q->sock);
		q->sock = -1;
	}
	/* The write ends are closed now; read to EOF, briefly. */
	{
		uint64_t end = now_ms() + 200;

		while (q->errfd >= 0 && now_ms() < end) {
			struct pollfd p = {.fd = q->errfd, .events = POLLIN};

			if (poll(&p, 1, 50) <= 0)
				break;
			drain_stderr(q);
		}
	}
	return q->status;
}

void cs_qmp_free(struct cs_qmp *q)
{
	if (!q)
		return;
	cs_qmp_stop(q);
	if (q->errfd >= 0)
		close(q->errfd);
	if (q->tok)
		json_tokener_free(q->tok);
	json_object_put(q->greeting);
	free(q->errbuf);
	free(q->binary);
	free(q);
}
