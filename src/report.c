/* placeholder: being written this session */
#include "ctadm.h"
#include "diag_cmd.h"
#include "settings_cmd.h"

int report_run(struct ctadm *c)
{
	return ctadm_fail(c, 95, "%s: not written yet", c->cmd->long_name);
}
