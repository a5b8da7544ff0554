/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * A main() for the fuzz targets where libFuzzer is not linked (a normal
 * gcc build): each file named on the command line is read and given to
 * LLVMFuzzerTestOneInput once, as libFuzzer does with file arguments.
 * "make check" runs every target this way over its corpus and its
 * regression inputs (tests/fuzz/corpus.sh), under the sanitizers or
 * valgrind when the build has them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* libFuzzer calls it only where the target defines it. */
int	 LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static int
run(const char *path)
{
	FILE		*f;
	uint8_t		*data = NULL, *p;
	size_t		 len = 0, n;
	uint8_t		 chunk[8192];

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((data = malloc(1)) == NULL) {
		fclose(f);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if ((p = realloc(data, len + n)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", path);
			free(data);
			fclose(f);
			return -1;
		}
		data = p;
		memcpy(data + len, chunk, n);
		len += n;
	}
	fclose(f);
	/* Exactly "len" bytes, never NULL, as libFuzzer gives them. */
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int
main(int argc, char *argv[])
{
	int	 i, rc = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (run(argv[i]) == -1)
			rc = 1;
	printf("%d inputs run\n", argc - 1);
	return rc;
}
