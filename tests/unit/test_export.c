/* test_export.c: a guest <cpu> as virt-xml's --cpu argument and as KubeVirt YAML */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/export.h"

static void check_virt_xml(const char *xml, const char *want, const char *want_notes)
{
	struct cs_cpudef *g = parse_cpu(xml, CS_CPUDEF_AS_GUEST);
	char *notes = NULL, *got = cs_export_virt_xml(g, &notes);

	assert_string_equal(got, want);
	if (want_notes)
		assert_string_equal(notes, want_notes);
	else
		assert_null(notes);
	free(got);
	free(notes);
	cs_cpudef_free(g);
}

static void test_virt_xml(void **state)
{
	(void)state;
	check_virt_xml("<cpu><model>Haswell</model></cpu>", "clearxml=yes,model=Haswell", NULL);
	check_virt_xml("<cpu mode='custom' match='strict' check='full'>"
	               "<model fallback='forbid' vendor_id='GenuineIntel'>Haswell</model>"
	               "<vendor>Intel</vendor>"
	               "<topology sockets='2' dies='1' cores='4' threads='2'/>"
	               "<feature policy='force' name='x2apic'/><feature name='vmx'/>"
	               "<feature policy='optional' name='abm'/>"
	               "<feature policy='disable' name='rtm'/>"
	               "<feature policy='forbid' name='svm'/></cpu>",
	               "clearxml=yes,model=Haswell,match=strict,check=full,model.fallback=forbid,"
	               "model.vendor_id=GenuineIntel,vendor=Intel,topology.sockets=2,"
	               "topology.dies=1,topology.cores=4,topology.threads=2,force=x2apic,"
	               "require=vmx,optional=abm,disable=rtm,forbid=svm",
	               NULL);
	check_virt_xml("<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>",
	               "clearxml=yes,mode=host-model,disable=vmx", NULL);
	check_virt_xml("<cpu mode='host-passthrough' migratable='off'/>",
	               "clearxml=yes,mode=host-passthrough,migratable=off", NULL);
	check_virt_xml("<cpu mode='maximum'/>", "clearxml=yes,mode=maximum", NULL);
	/* what --cpu cannot carry is said */
	check_virt_xml("<cpu><model>Haswell</model>"
	               "<topology sockets='1' dies='1' clusters='2' cores='2' threads='1'/></cpu>",
	               "clearxml=yes,model=Haswell,topology.sockets=1,topology.dies=1,"
	               "topology.cores=2,topology.threads=1",
	               "virt-xml 4.1 has no topology.clusters: set clusters='2' in the XML\n");
	check_virt_xml("<cpu><model>Haswell</model><numa><cell id='0' cpus='0' memory='1024'/>"
	               "</numa></cpu>",
	               "clearxml=yes,model=Haswell",
	               "clearxml=yes drops the <cpu>'s <numa>; 'cpuscope apply' keeps them\n");
}

static void test_kubevirt(void **state)
{
	struct cs_cpudef *g;
	char *notes = NULL, *got;

	(void)state;
	g = parse_cpu("<cpu match='minimum'><model fallback='forbid'>486</model>"
	              "<vendor>Intel</vendor>"
	              "<topology sockets='2' dies='1' cores='4' threads='2'/>"
	              "<feature name='vmx'/><feature policy='disable' name='sse4.1'/></cpu>",
	              CS_CPUDEF_AS_GUEST);
	got = cs_export_kubevirt(g, &notes);
	assert_string_equal(got, "cpu:\n"
	                         "  model: \"486\"\n"
	                         "  sockets: 2\n"
	                         "  cores: 4\n"
	                         "  threads: 2\n"
	                         "  features:\n"
	                         "    - name: \"vmx\"\n"
	                         "      policy: require\n"
	                         "    - name: \"sse4.1\"\n"
	                         "      policy: disable\n");
	assert_string_equal(notes, "KubeVirt has no field for match='minimum'\n"
	                           "KubeVirt has no field for fallback='forbid'\n"
	                           "KubeVirt has no field for the vendor (Intel)\n");
	free(got);
	free(notes);
	cs_cpudef_free(g);

	g = parse_cpu("<cpu mode='host-passthrough'/>", CS_CPUDEF_AS_GUEST);
	got = cs_export_kubevirt(g, &notes);
	assert_string_equal(got, "cpu:\n  model: host-passthrough\n");
	assert_null(notes);
	free(got);
	cs_cpudef_free(g);

	g = parse_cpu("<cpu mode='maximum'/>", CS_CPUDEF_AS_GUEST);
	got = cs_export_kubevirt(g, &notes);
	assert_string_equal(got, "cpu:\n  model: host-passthrough\n");
	assert_string_equal(notes,
	                    "KubeVirt has no maximum mode: host-passthrough is the nearest\n");
	free(got);
	free(notes);
	cs_cpudef_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_virt_xml),
	        cmocka_unit_test(test_kubevirt),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
