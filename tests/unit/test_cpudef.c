/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_cpudef.c: parsing, editing and formatting libvirt <cpu> elements */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/cpudef.h"
#include "test_map_fixture.h"

/* Parse text, expecting success and n elements. */
static struct cs_cpudef **parse_ok(const char *text, unsigned flags, size_t want)
{
	struct cs_cpudef **defs = NULL;
	size_t n = 0;
	struct cs_error err = {0};

	if (cs_cpudef_parse(map, text, strlen(text), "t.xml", flags, &defs, &n, &err) < 0) {
		cs_error_print(&err, "unexpected: ", stderr);
		fail();
	}
	assert_int_equal(n, want);
	return defs;
}

static struct cs_cpudef *parse_one(const char *text, unsigned flags)
{
	struct cs_cpudef **defs = parse_ok(text, flags, 1);
	struct cs_cpudef *def = defs[0];

	free(defs);
	return def;
}

static void assert_format(const struct cs_cpudef *def, unsigned indent, const char *want)
{
	char *got = cs_cpudef_format(def, indent);

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

static const char full_guest[] =
        "<cpu mode='custom' match='strict' check='full'>\n"
        "  <model fallback='forbid' vendor_id='GenuineIntel'>Haswell-noTSX</model>\n"
        "  <vendor>Intel</vendor>\n"
        "  <topology sockets='2' dies='1' cores='4' threads='2'/>\n"
        "  <cache level='3' mode='emulate'/>\n"
        "  <maxphysaddr mode='passthrough' limit='39'/>\n"
        "  <feature policy='force' name='vmx'/>\n"
        "  <feature policy='require' name='pcid'/>\n"
        "  <feature policy='optional' name='invtsc'/>\n"
        "  <feature policy='disable' name='avx2'/>\n"
        "  <feature policy='forbid' name='svm'/>\n"
        "  <numa>\n"
        "    <cell id='0' cpus='0-7' memory='1048576' unit='KiB'/>\n"
        "    <cell id='1' cpus='8-15' memory=\"1048576\" unit='KiB'>\n"
        "      <distances><sibling id='0' value='20'/></distances>\n"
        "    </cell>\n"
        "  </numa>\n"
        "</cpu>\n";

static void test_parse_full_guest(void **state)
{
	struct cs_cpudef *def = parse_one(full_guest, 0);

	(void)state;
	assert_int_equal(def->type, CS_CPU_TYPE_GUEST);
	assert_int_equal(def->mode, CS_CPU_MODE_CUSTOM);
	assert_int_equal(def->match, CS_CPU_MATCH_STRICT);
	assert_int_equal(def->check, CS_CPU_CHECK_FULL);
	assert_int_equal(def->model, mid("Haswell-noTSX"));
	assert_int_equal(def->fallback, CS_CPU_FALLBACK_FORBID);
	assert_string_equal(def->vendor_id, "GenuineIntel");
	assert_string_equal(def->vendor, "Intel");
	assert_int_equal(def->vendor_idx, cs_arch_find_vendor(x86, "Intel"));
	assert_true(def->has_topology);
	assert_int_equal(def->sockets, 2);
	assert_int_equal(def->dies, 1);
	assert_int_equal(def->cores, 4);
	assert_int_equal(def->threads, 2);
	assert_int_equal(def->nfeatures, 5);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("vmx")), CS_POLICY_FORCE);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("pcid")), CS_POLICY_REQUIRE);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("invtsc")),
	                 CS_POLICY_OPTIONAL);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("avx2")), CS_POLICY_DISABLE);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("svm")), CS_POLICY_FORBID);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("sse2")), -1);
	assert_int_equal(def->features[4].line, 11);
	assert_int_equal(def->nraw, 3);
	assert_string_equal(def->raw[2].name, "numa");
	/* Written back exactly, including the kept elements. */
	assert_format(def, 0, full_guest);
	cs_cpudef_free(def);
}

static void test_reindent(void **state)
{
	struct cs_cpudef *def = parse_one(full_guest, 0);
	char *got;

	(void)state;
	got = cs_cpudef_format(def, 4);
	assert_non_null(strstr(got, "\n          <distances><sibling id='0' value='20'/>"));
	assert_non_null(strstr(got, "\n        <cell id='0'"));
	assert_non_null(strstr(got, "\n    </cpu>\n"));
	assert_true(!strncmp(got, "    <cpu mode='custom'", 22));
	free(got);
	cs_cpudef_free(def);
}

static void test_defaults_and_policy_default(void **state)
{
	struct cs_cpudef *def =
	        parse_one("<cpu><model>Haswell</model><feature name='vmx'/></cpu>", 0);

	(void)state;
	assert_int_equal(def->type, CS_CPU_TYPE_GUEST);
	assert_int_equal(def->mode, CS_CPU_MODE_CUSTOM);
	assert_int_equal(def->match, CS_CPU_MATCH_EXACT);
	assert_int_equal(def->check, CS_CPU_CHECK_DEFAULT);
	assert_int_equal(def->fallback, CS_CPU_FALLBACK_ALLOW);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("vmx")), CS_POLICY_REQUIRE);
	assert_format(def, 0,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='allow'>Haswell</model>\n"
	              "  <feature policy='require' name='vmx'/>\n"
	              "</cpu>\n");
	cs_cpudef_free(def);
}

static void test_modes_format(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"<cpu mode='host-passthrough' check='none' migratable='on'/>",
	         "<cpu mode='host-passthrough' check='none' migratable='on'/>\n"},
	        {"<cpu mode='maximum' migratable='off'></cpu>",
	         "<cpu mode='maximum' migratable='off'/>\n"},
	        {"<cpu mode='host-model' check='partial'><model fallback='forbid'/></cpu>",
	         "<cpu mode='host-model' check='partial'/>\n"},
	        {"<cpu mode='host-model'><model vendor_id='AuthenticAMD'/></cpu>",
	         "<cpu mode='host-model'>\n  <model vendor_id='AuthenticAMD'/>\n</cpu>\n"},
	        {"<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>",
	         "<cpu mode='host-model'>\n  <feature policy='disable' name='vmx'/>\n</cpu>\n"},
	        /* Topology alone: libvirt writes no attributes. */
	        {"<cpu><topology sockets='1' cores='2' threads='1'/></cpu>",
	         "<cpu>\n  <topology sockets='1' dies='1' cores='2' threads='1'/>\n</cpu>\n"},
	        {"<cpu><topology sockets='1' dies='2' clusters='2' cores='2' threads='1'/></cpu>",
	         "<cpu>\n  <topology sockets='1' dies='2' clusters='2' cores='2' threads='1'/>\n"
	         "</cpu>\n"},
	        /* Nothing at all: libvirt leaves the element out. */
	        {"<cpu/>", ""},
	        {"<cpu mode='custom'></cpu>", ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cs_cpudef *def = parse_one(cases[i].in, 0);

		assert_format(def, 0, cases[i].out);
		cs_cpudef_free(def);
	}
}

static const char caps[] = "<?xml version='1.0'?>\n"
                           "<capabilities>\n"
                           "  <host>\n"
                           "    <uuid>00000000-0000-0000-0000-000000000000</uuid>\n"
                           "    <cpu>\n"
                           "      <arch>x86_64</arch>\n"
                           "      <model>Haswell-noTSX</model>\n"
                           "      <vendor>Intel</vendor>\n"
                           "      <microcode version='68'/>\n"
                           "      <signature family='6' model='63' stepping='2'/>\n"
                           "      <counter name='tsc' frequency='2294686000' scaling='no'/>\n"
                           "      <topology sockets='1' dies='1' cores='10' threads='2'/>\n"
                           "      <maxphysaddr mode='emulate' bits='46'/>\n"
                           "      <feature name='vmx'/>\n"
                           "      <feature name='invtsc'/>\n"
                           "      <pages unit='KiB' size='4'/>\n"
                           "      <pages unit='KiB' size='2048'/>\n"
                           "    </cpu>\n"
                           "    <power_management/>\n"
                           "  </host>\n"
                           "  <guest><os_type>hvm</os_type></guest>\n"
                           "</capabilities>\n";

static void test_capabilities_host(void **state)
{
	struct cs_cpudef *def = parse_one(caps, 0);
	struct cs_cpu_facts facts;
	struct cs_error err = {0};
	char *text;

	(void)state;
	assert_int_equal(def->type, CS_CPU_TYPE_HOST);
	assert_int_equal(def->origin, CS_CPU_ORIGIN_CAPS);
	assert_string_equal(def->arch_name, "x86_64");
	assert_ptr_equal(def->arch, x86);
	assert_int_equal(def->sig_family, 6);
	assert_int_equal(def->sig_model, 63);
	assert_int_equal(def->sig_stepping, 2);
	assert_int_equal(cs_cpudef_signature(def), 0x306f2);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("vmx")), CS_POLICY_NONE);
	assert_int_equal(def->line, 5);
	assert_int_equal(cs_cpudef_to_facts(def, &facts, &err), 0);
	assert_int_equal(facts.vendor, cs_arch_find_vendor(x86, "Intel"));
	assert_int_equal(facts.signature, 0x306f2);
	assert_true(cs_fset_test(&facts.features, (unsigned)fid("vmx")));
	assert_true(cs_fset_test(&facts.features, (unsigned)fid("avx2")));
	assert_false(cs_fset_test(&facts.features, (unsigned)fid("hle")));
	assert_int_equal(cs_fset_count(&facts.features),
	                 cs_fset_count(&x86->models[mid("Haswell-noTSX")].features) + 2);
	/* Written as libvirt writes it, pages and all. */
	text = cs_cpudef_format(def, 4);
	assert_non_null(strstr(caps, text));
	free(text);
	cs_cpudef_free(def);
}

static void test_domcaps_host_model(void **state)
{
	static const char dc[] = "<domainCapabilities>\n"
	                         "  <cpu>\n"
	                         "    <mode name='host-passthrough' supported='yes'/>\n"
	                         "    <mode name='host-model' supported='yes'>\n"
	                         "      <model fallback='forbid'>Skylake-Client-IBRS</model>\n"
	                         "      <vendor>Intel</vendor>\n"
	                         "      <feature policy='require' name='ss'/>\n"
	                         "      <feature policy='disable' name='hle'/>\n"
	                         "    </mode>\n"
	                         "    <mode name='custom' supported='yes'/>\n"
	                         "  </cpu>\n"
	                         "</domainCapabilities>\n";
	struct cs_cpudef *def = parse_one(dc, CS_CPUDEF_AS_HOST);
	struct cs_cpu_facts facts;

	(void)state;
	assert_int_equal(def->origin, CS_CPU_ORIGIN_DOMCAPS);
	assert_int_equal(def->type, CS_CPU_TYPE_GUEST);
	assert_int_equal(def->mode, CS_CPU_MODE_CUSTOM);
	assert_int_equal(def->fallback, CS_CPU_FALLBACK_FORBID);
	assert_int_equal(def->model, mid("Skylake-Client-IBRS"));
	assert_int_equal(cs_cpudef_to_facts(def, &facts, NULL), 0);
	assert_true(cs_fset_test(&facts.features, (unsigned)fid("ss")));
	assert_false(cs_fset_test(&facts.features, (unsigned)fid("hle")));
	cs_cpudef_free(def);

	/* Not supported: not taken. */
	{
		const char *off = "<domainCapabilities><cpu><mode name='host-model' "
		                  "supported='no'/></cpu></domainCapabilities>";
		struct cs_cpudef **defs = NULL;
		size_t n = 0;
		struct cs_error err = {0};

		assert_int_equal(
		        cs_cpudef_parse(map, off, strlen(off), "dc.xml", 0, &defs, &n, &err), -1);
		assert_non_null(strstr(err.msg, "does not contain any <cpu> element"));
	}
}

static void test_domain_and_sequence(void **state)
{
	static const char several[] =
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<!-- three hosts -->\n"
	        "<cpu><arch>x86_64</arch><model>Penryn</model></cpu>\n"
	        "<cpu>\n  <arch>x86_64</arch>\n  <model>Nehalem</model>\n</cpu>\n"
	        "<domain type='kvm'><name>x</name><cpu mode='host-model'/><devices/></domain>\n"
	        "<capabilities><host><cpu><arch>i686</arch><model>pentium3</model></cpu></host>"
	        "</capabilities>\n";
	struct cs_cpudef **defs = parse_ok(several, 0, 4);

	(void)state;
	assert_int_equal(defs[0]->model, mid("Penryn"));
	assert_int_equal(defs[0]->origin, CS_CPU_ORIGIN_BARE);
	assert_int_equal(defs[1]->model, mid("Nehalem"));
	assert_int_equal(defs[1]->line, 4);
	assert_int_equal(defs[2]->origin, CS_CPU_ORIGIN_DOMAIN);
	assert_int_equal(defs[2]->mode, CS_CPU_MODE_HOST_MODEL);
	assert_int_equal(defs[3]->origin, CS_CPU_ORIGIN_CAPS);
	assert_ptr_equal(defs[3]->arch, x86);
	cs_cpudef_list_free(defs, 4);

	/* FIRST stops at the first one. */
	defs = parse_ok(several, CS_CPUDEF_FIRST, 1);
	assert_int_equal(defs[0]->model, mid("Penryn"));
	cs_cpudef_list_free(defs, 1);
}

struct err_case {
	const char *xml;
	unsigned flags;
	const char *msg; /* a substring of the message */
	unsigned line;
};

static void test_errors(void **state)
{
	static const struct err_case cases[] = {
	        {"<cpu>\n<model>Foolake</model></cpu>", 0, "Unknown CPU model Foolake", 2},
	        {"<cpu><model>Haswell</model>\n\n<feature name='foobar'/></cpu>", 0,
	         "Unknown CPU feature foobar", 3},
	        {"<cpu><model>Haswell</model>\n<feature policy='bogus' name='vmx'/></cpu>", 0,
	         "Invalid CPU feature policy", 2},
	        {"<cpu><model>Haswell</model><feature policy='require'/></cpu>", 0,
	         "Invalid CPU feature name", 1},
	        {"<cpu><model>Haswell</model><feature name='vmx'/>\n<feature name='vmx' "
	         "policy='disable'/></cpu>",
	         0, "CPU feature 'vmx' specified more than once", 2},
	        {"<cpu>\n<model vendor_id='abc'>Haswell</model></cpu>", 0,
	         "vendor_id must be exactly 12 characters long", 2},
	        {"<cpu><model vendor_id='Genuine,ntel'>Haswell</model></cpu>", 0,
	         "vendor id is invalid", 1},
	        {"<cpu><model>Haswell</model>\n<topology sockets='0' cores='1' threads='1'/></cpu>",
	         0, "'sockets' in element 'topology': Zero is not permitted", 2},
	        {"<cpu><model>Haswell</model><topology sockets='1' dies='0' cores='1' "
	         "threads='1'/></cpu>",
	         0, "'dies' in element 'topology': Zero is not permitted", 1},
	        {"<cpu><model>Haswell</model><topology sockets='1' cores='0' threads='1'/></cpu>",
	         0, "'cores' in element 'topology': Zero is not permitted", 1},
	        {"<cpu><model>Haswell</model><topology sockets='1' cores='1' threads='0'/></cpu>",
	         0, "'threads' in element 'topology': Zero is not permitted", 1},
	        {"<cpu><model>Haswell</model><topology sockets='1' clusters='0' cores='1' "
	         "threads='1'/></cpu>",
	         0, "'clusters' in element 'topology': Zero is not permitted", 1},
	        {"<cpu><model>Haswell</model><topology cores='1' threads='1'/></cpu>", 0,
	         "Missing required attribute 'sockets' in element 'topology'", 1},
	        {"<cpu><model>Haswell</model><topology sockets='x' cores='1' threads='1'/></cpu>",
	         0, "Expected non-negative integer value", 1},
	        {"<cpu><model>Haswell</model><topology sockets='-1' cores='1' threads='1'/></cpu>",
	         0, "Expected non-negative integer value", 1},
	        {"<cpu><feature name='vmx'/></cpu>", 0,
	         "Non-empty feature list specified without CPU model", 1},
	        {"<cpu><vendor>Intel</vendor></cpu>", 0, "CPU vendor specified without CPU model",
	         1},
	        {"<cpu mode='bogus'/>", 0, "Invalid mode attribute 'bogus'", 1},
	        {"<cpu match='bogus'><model>Haswell</model></cpu>", 0,
	         "Invalid value for attribute 'match' in element 'cpu': 'bogus'.", 1},
	        {"<cpu check='bogus'><model>Haswell</model></cpu>", 0,
	         "Invalid value for attribute 'check' in element 'cpu': 'bogus'.", 1},
	        {"<cpu><model fallback='bogus'>Haswell</model></cpu>", 0,
	         "Invalid fallback attribute", 1},
	        {"<cpu migratable='on'><model>Haswell</model></cpu>", 0,
	         "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode",
	         1},
	        {"<cpu mode='host-passthrough' migratable='yes'/>", 0,
	         "Invalid value for attribute 'migratable' in element 'cpu': 'yes'.", 1},
	        {"<cpu match='exact'><arch>x86_64</arch><model>Haswell</model></cpu>", 0,
	         "'arch' element cannot be used inside 'cpu' element with 'match' attribute", 1},
	        {"<cpu><model>Haswell</model></cpu>", CS_CPUDEF_AS_HOST, "Missing CPU architecture",
	         1},
	        {"<cpu><arch>x86_64</arch></cpu>", 0, "Missing CPU model name", 1},
	        {"<cpu mode='custom'><arch>x86_64</arch><model>Haswell</model></cpu>",
	         CS_CPUDEF_AS_HOST, "Attribute mode is only allowed for guest CPU", 1},
	        {"<cpu>\n<arch>foo</arch><model>Haswell</model></cpu>", 0,
	         "Unknown architecture foo", 2},
	        {"<cpu><model>Haswell</model><cache mode='bogus'/></cpu>", 0,
	         "Invalid value for attribute 'mode' in element 'cache': 'bogus'.", 1},
	        {"<cpu><model>Haswell</model><cache level='4' mode='emulate'/></cpu>", 0,
	         "invalid CPU cache level", 1},
	        {"<cpu><model>Haswell</model><cache mode='emulate'/><cache mode='emulate'/></cpu>",
	         0, "at most one CPU cache element", 1},
	        /* cpuscope's stricter checks */
	        {"<cpu mode='host-passthrough'>\n<model>Haswell</model></cpu>", CS_CPUDEF_STRICT,
	         "a <model> has no effect in host-passthrough mode", 2},
	        {"<cpu mode='maximum'>\n\n<model>Haswell</model></cpu>", CS_CPUDEF_STRICT,
	         "a <model> has no effect in maximum mode", 3},
	        /* XML safety and syntax */
	        {"<?xml version='1.0'?>\n<!DOCTYPE cpu [<!ENTITY x 'Haswell'>]>\n"
	         "<cpu><model>&x;</model></cpu>",
	         0, "document type declarations (DTDs, entities) are not allowed", 2},
	        {"<cpu>\n<model>Haswell</model>\n</cpux>", 0, "malformed XML", 3},
	        {"<host/>", 0, "does not contain any <cpu> element", 0},
	        {"", 0, "does not contain any <cpu> element", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct err_case *c = &cases[i];
		struct cs_cpudef **defs = (struct cs_cpudef **)1;
		size_t n = 99;
		struct cs_error err = {0};
		int rc = cs_cpudef_parse(map, c->xml, strlen(c->xml), "bad.xml", c->flags, &defs,
		                         &n, &err);

		if (rc != -1 || !strstr(err.msg, c->msg) || (c->line && err.line != c->line) ||
		    strcmp(err.file, "bad.xml") != 0) {
			fprintf(stderr, "case %zu: rc %d, %s:%u: %s (want line %u: %s)\n", i, rc,
			        err.file, err.line, err.msg, c->line, c->msg);
			fail();
		}
		assert_null(defs);
		assert_int_equal(n, 0);
	}
}

/* libxml2 takes a NUL byte after the root element for the end of the text
 * and drops what follows: such a text is refused, saying where. */
static void test_nul_byte(void **state)
{
	static const char xml[] = "<cpu><model>Haswell</model></cpu>\n"
	                          "  \0<cpu><model>Foolake</model></cpu>";
	struct cs_cpudef **defs = NULL;
	size_t n = 0;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_cpudef_parse(map, xml, sizeof(xml) - 1, "nul.xml", 0, &defs, &n, &err),
	                 -1);
	assert_null(defs);
	assert_int_equal(err.code, CS_ERR_SYNTAX);
	assert_string_equal(err.file, "nul.xml");
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "NUL byte"));
}

static void test_lenient_where_libvirt_is(void **state)
{
	/* libvirt compares these; only STRICT refuses them. */
	struct cs_cpudef *def = parse_one("<cpu mode='host-passthrough'><model>Haswell</model>"
	                                  "<feature policy='disable' name='vmx'/></cpu>",
	                                  0);

	(void)state;
	assert_int_equal(def->model, mid("Haswell"));
	cs_cpudef_free(def);
	def = parse_one("<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>", 0);
	assert_int_equal(def->nfeatures, 1);
	cs_cpudef_free(def);
	/* Features are used in every mode, so STRICT takes them too. */
	def = parse_one("<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>",
	                CS_CPUDEF_STRICT);
	assert_int_equal(def->nfeatures, 1);
	cs_cpudef_free(def);
	def = parse_one("<cpu mode='host-passthrough'><feature policy='disable' name='vmx'/>"
	                "</cpu>",
	                CS_CPUDEF_STRICT);
	assert_int_equal(def->nfeatures, 1);
	cs_cpudef_free(def);
	/* An arch the x86 map cannot resolve keeps its names. */
	def = parse_one("<cpu><arch>ia64</arch><model>Itanium</model><feature name='x'/></cpu>", 0);
	assert_null(def->arch);
	assert_string_equal(cs_cpudef_model_name(def), "Itanium");
	assert_string_equal(cs_cpudef_feature_name(def, 0), "x");
	assert_int_equal(cs_cpudef_to_facts(def, &(struct cs_cpu_facts){0}, NULL), -1);
	cs_cpudef_free(def);
}

static void test_edit(void **state)
{
	struct cs_cpudef *def = cs_cpudef_new(map, x86, CS_CPU_TYPE_GUEST);
	struct cs_cpudef *copy;
	unsigned vmx = (unsigned)fid("vmx"), avx2 = (unsigned)fid("avx2"),
	         svm = (unsigned)fid("svm");

	(void)state;
	cs_cpudef_set_model(def, mid("Haswell"));
	cs_cpudef_set_vendor(def, cs_arch_find_vendor(x86, "Intel"));
	cs_cpudef_set_feature(def, vmx, CS_POLICY_REQUIRE);
	cs_cpudef_set_feature(def, avx2, CS_POLICY_DISABLE);
	cs_cpudef_set_feature(def, svm, CS_POLICY_FORBID);
	/* Update in place keeps the position. */
	cs_cpudef_set_feature(def, vmx, CS_POLICY_OPTIONAL);
	assert_int_equal(def->features[0].id, (int)vmx);
	assert_true(cs_fset_test(&def->by_policy[CS_POLICY_OPTIONAL], vmx));
	assert_false(cs_fset_test(&def->by_policy[CS_POLICY_REQUIRE], vmx));
	copy = cs_cpudef_copy(def);
	assert_true(cs_cpudef_remove_feature(def, avx2));
	assert_false(cs_cpudef_remove_feature(def, avx2));
	assert_int_equal(def->nfeatures, 2);
	assert_int_equal(cs_cpudef_feature_policy(def, avx2), -1);
	assert_false(cs_fset_test(&def->by_policy[CS_POLICY_DISABLE], avx2));
	assert_format(def, 0,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='allow'>Haswell</model>\n"
	              "  <vendor>Intel</vendor>\n"
	              "  <feature policy='optional' name='vmx'/>\n"
	              "  <feature policy='forbid' name='svm'/>\n"
	              "</cpu>\n");
	/* The copy is independent. */
	assert_int_equal(copy->nfeatures, 3);
	assert_int_equal(cs_cpudef_feature_policy(copy, avx2), CS_POLICY_DISABLE);
	cs_cpudef_clear_features(def);
	assert_int_equal(def->nfeatures, 0);
	assert_true(cs_fset_is_empty(&def->by_policy[CS_POLICY_FORBID]));
	cs_cpudef_set_model(def, -1);
	cs_cpudef_set_vendor(def, -1);
	assert_format(def, 0, "");
	cs_cpudef_free(def);
	cs_cpudef_free(copy);
	cs_cpudef_free(NULL);
	cs_cpudef_list_free(NULL, 0);
}

static void test_host_edit_and_from_decoded(void **state)
{
	struct cs_decoded dec;
	struct cs_cpudef *def;

	(void)state;
	memset(&dec, 0, sizeof(dec));
	dec.model = mid("Skylake-Client");
	dec.vendor = cs_arch_find_vendor(x86, "Intel");
	dec.signature = 0x506e3;
	cs_fset_set(&dec.require, (unsigned)fid("vmx"));
	cs_fset_set(&dec.require, (unsigned)fid("ds"));
	def = cs_cpudef_from_decoded(map, x86, &dec);
	/* A host CPU's features have no policy, whatever is asked. */
	cs_cpudef_set_feature(def, (unsigned)fid("invtsc"), CS_POLICY_DISABLE);
	assert_int_equal(cs_cpudef_feature_policy(def, (unsigned)fid("invtsc")), CS_POLICY_NONE);
	assert_format(def, 0,
	              "<cpu>\n"
	              "  <arch>x86_64</arch>\n"
	              "  <model>Skylake-Client</model>\n"
	              "  <vendor>Intel</vendor>\n"
	              "  <feature name='ds'/>\n"
	              "  <feature name='vmx'/>\n"
	              "  <feature name='invtsc'/>\n"
	              "</cpu>\n");
	assert_int_equal(def->sig_family, 6);
	assert_int_equal(def->sig_model, 94);
	assert_int_equal(def->sig_stepping, 3);
	assert_int_equal(cs_cpudef_signature(def), 0x506e3);
	cs_cpudef_free(def);
}

static void test_escaping_and_names(void **state)
{
	struct cs_cpudef *def = parse_one("<cpu><arch>ppc64</arch><model>POWER9</model>"
	                                  "<vendor>I&amp;B&lt;M</vendor></cpu>",
	                                  0);

	(void)state;
	assert_string_equal(def->vendor, "I&B<M");
	assert_format(def, 0,
	              "<cpu>\n  <arch>ppc64</arch>\n  <model>POWER9</model>\n"
	              "  <vendor>I&amp;B&lt;M</vendor>\n</cpu>\n");
	cs_cpudef_free(def);
	assert_string_equal(cs_policy_name(CS_POLICY_OPTIONAL), "optional");
	assert_int_equal(cs_policy_parse("forbid"), CS_POLICY_FORBID);
	assert_int_equal(cs_policy_parse("none"), -1);
	assert_string_equal(cs_cpu_mode_name(CS_CPU_MODE_MAXIMUM), "maximum");
	assert_string_equal(cs_cpu_match_name(CS_CPU_MATCH_MINIMUM), "minimum");
	assert_string_equal(cs_cpu_check_name(CS_CPU_CHECK_PARTIAL), "partial");
	assert_string_equal(cs_cpu_fallback_name(CS_CPU_FALLBACK_FORBID), "forbid");
}

static void test_load_file(void **state)
{
	struct cs_error err = {0};
	struct cs_cpudef *def =
	        cs_cpudef_load_one(map, "tests/data/guest/domain-numa.xml", 0, &err);

	(void)state;
	assert_non_null(def);
	assert_int_equal(def->origin, CS_CPU_ORIGIN_DOMAIN);
	assert_int_equal(def->check, CS_CPU_CHECK_PARTIAL);
	assert_int_equal(def->line, 23);
	cs_cpudef_free(def);
	def = cs_cpudef_load_one(map, "tests/data/guest/no-such-file.xml", 0, &err);
	assert_null(def);
	assert_int_equal(err.code, CS_ERR_IO);
}

/* An arm <cpu> lists a feature the map knows, then one it does not: the
 * unknown name is kept and compared with the known one's without a crash;
 * the same unknown name twice is libvirt's duplicate error. */
static void test_arm_known_then_unknown(void **state)
{
	static const char ok[] = "<cpu><arch>aarch64</arch><model>cortex-a57</model>"
	                         "<feature name='sve'/><feature name='nosuch'/></cpu>";
	static const char dup[] = "<cpu><arch>aarch64</arch><model>cortex-a57</model>"
	                          "<feature name='sve'/><feature name='nosuch'/>"
	                          "<feature name='nosuch'/></cpu>";
	struct cs_cpudef **defs = NULL;
	struct cs_error err = {0};
	size_t n = 0;

	(void)state;
	assert_int_equal(cs_cpudef_parse(map, ok, sizeof(ok) - 1, "arm.xml", 0, &defs, &n, &err),
	                 0);
	assert_int_equal(defs[0]->nfeatures, 2);
	assert_string_equal(cs_cpudef_feature_name(defs[0], 0), "sve");
	assert_string_equal(cs_cpudef_feature_name(defs[0], 1), "nosuch");
	cs_cpudef_list_free(defs, n);
	assert_int_equal(cs_cpudef_parse(map, dup, sizeof(dup) - 1, "arm.xml", 0, &defs, &n, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "specified more than once"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_full_guest),
	        cmocka_unit_test(test_arm_known_then_unknown),
	        cmocka_unit_test(test_reindent),
	        cmocka_unit_test(test_defaults_and_policy_default),
	        cmocka_unit_test(test_modes_format),
	        cmocka_unit_test(test_capabilities_host),
	        cmocka_unit_test(test_domcaps_host_model),
	        cmocka_unit_test(test_domain_and_sequence),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_nul_byte),
	        cmocka_unit_test(test_lenient_where_libvirt_is),
	        cmocka_unit_test(test_edit),
	        cmocka_unit_test(test_host_edit_and_from_decoded),
	        cmocka_unit_test(test_escaping_and_names),
	        cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
