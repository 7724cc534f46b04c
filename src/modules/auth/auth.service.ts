import { Injectable, Logger } from '@nestjs/common';
import { Actor } from 'src/core/authz/actor';
import { AppConfig } from 'src/core/config/app-config';
import { AppError } from 'src/core/errors/app-error';
import { PasswordPolicyService } from 'src/core/security/password-policy.service';
import { PasswordService } from 'src/core/security/password.service';
import { EmployeeEntity } from 'src/modules/org/services/employees.service';
import { OrganizationEntity } from 'src/modules/org/services/organizations.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { AuthLimitsService } from './auth-limits.service';
import { ChangeMyPasswordInput, LoginInput, SignUpInput } from './dto/auth.inputs';
import { TokenService } from './token.service';

export interface Session {
  token: string;
  employee: EmployeeEntity;
  organization: OrganizationEntity;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly config: AppConfig,
    private readonly organizations: OrganizationsService,
    private readonly employees: EmployeesService,
    private readonly passwords: PasswordService,
    private readonly policy: PasswordPolicyService,
    private readonly tokens: TokenService,
    private readonly limits: AuthLimitsService,
  ) {}

  /**
   * Creates an organization and its admin, unless the operator closed public
   * sign-up (SIGNUP_ENABLED=false). Counted per client IP before any work
   * (the password estimate and argon2 cost CPU), whatever the outcome.
   */
  async signUp(input: SignUpInput, ip: string): Promise<Session> {
    if (!this.config.signupEnabled) {
      throw AppError.forbidden('Sign-up is closed on this server: ask its operator to create your organization');
    }
    await this.limits.consumeSignUp(ip);
    this.policy.assertStrong('input.adminPassword', input.adminPassword, {
      email: input.adminEmail,
      name: input.adminName,
      organizationName: input.organizationName,
      slug: input.slug,
    });
    const passwordHash = await this.passwords.hash(input.adminPassword);
    const { organization, admin } = await this.organizations.create({
      name: input.organizationName,
      slug: input.slug,
      timezone: input.timezone ?? undefined,
      admin: { name: input.adminName, email: input.adminEmail, passwordHash },
    });
    this.logger.log({ msg: 'organization created', orgId: organization.id });
    return { token: this.tokens.sign(admin.id, organization.id, admin.tokenVersion), employee: admin, organization };
  }

  /**
   * Checks the password once a check is reserved (AuthLimitsService: per
   * client, per (account, client), per account with progressive delays); past
   * a limit every attempt is RATE_LIMITED, right password or not. The answer
   * never tells which part was wrong.
   */
  async login(input: LoginInput, ip: string): Promise<Session> {
    const slug = input.slug.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    const check = await this.limits.reserveLogin(`${slug}|${email}`, ip);
    const organization = await this.organizations.findBySlug(slug);
    const employee = organization ? await this.employees.findByEmail(organization.id, email) : null;
    const ok = await this.passwords.verify(employee?.passwordHash, input.password);
    if (!organization || !employee || !ok) {
      await check.failed();
      throw AppError.unauthenticated('Wrong organization, e-mail or password');
    }
    if (employee.status !== 'ACTIVE') {
      // No session: the attempt stays counted, so the status message cannot serve as a free password oracle.
      await check.failed();
      throw AppError.unauthenticated(`This account is ${employee.status.toLowerCase()}`);
    }
    await check.succeeded();
    return { token: this.tokens.sign(employee.id, organization.id, employee.tokenVersion), employee, organization };
  }

  /**
   * The signed-in employee changes their own password: the current one is
   * checked (rate limited per employee, like login), the new one must pass the
   * policy. Every session of the employee ends; a new one is returned.
   */
  async changeMyPassword(actor: Actor, input: ChangeMyPasswordInput): Promise<Session> {
    if (actor.kind !== 'employee' || !actor.employeeId) throw AppError.forbidden('An API key is not an employee');
    const [employee, organization] = await Promise.all([
      this.employees.findWithPasswordHash(actor.orgId, actor.employeeId),
      this.organizations.get(actor.orgId),
    ]);
    if (!employee) throw AppError.unauthenticated();
    if (input.newPassword === input.currentPassword) {
      throw AppError.badInput('input.newPassword', 'must differ from your current password');
    }
    this.policy.assertStrong('input.newPassword', input.newPassword, {
      email: employee.email,
      name: employee.name,
      organizationName: organization.name,
      slug: organization.slug,
    });
    const check = await this.limits.reservePasswordCheck(employee.id);
    if (!(await this.passwords.verify(employee.passwordHash, input.currentPassword))) {
      await check.failed();
      throw AppError.badInput('input.currentPassword', 'is not your current password');
    }
    await check.succeeded();
    const updated = await this.employees.setPassword(
      actor.orgId,
      employee.id,
      await this.passwords.hash(input.newPassword),
    );
    this.logger.log({ msg: 'password changed', orgId: actor.orgId, employeeId: employee.id });
    return {
      token: this.tokens.sign(updated.id, organization.id, updated.tokenVersion),
      employee: updated,
      organization,
    };
  }
}
