
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "achievements": {
                  Row: {
                    "badge_icon": string | null,"created_at": string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"exam_id": string | null,"id": number,"is_active": boolean,"is_hidden": boolean,"name": string,"position": number,"slug": string,"xp_reward": number
                  }
                  ComputedFields: never
                  Insert: {
                    "badge_icon"?: string | null,"created_at"?: string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"exam_id"?: string | null,"id"?: never,"is_active"?: boolean,"is_hidden"?: boolean,"name": string,"position"?: number,"slug": string,"xp_reward"?: number
                  }
                  Update: {
                    "badge_icon"?: string | null,"created_at"?: string,"criteria_type"?: Database["public"]['Enums']["achievement_criteria"],"criteria_value"?: number,"description"?: string,"exam_id"?: string | null,"id"?: never,"is_active"?: boolean,"is_hidden"?: boolean,"name"?: string,"position"?: number,"slug"?: string,"xp_reward"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "achievements_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    }
                  ]
                },"avatars": {
                  Row: {
                    "created_at": string,"description": string | null,"id": number,"image_url": string,"is_default": boolean,"name": string,"position": number,"rarity": Database["public"]['Enums']["avatar_rarity"],"required_achievement_id": number | null,"slug": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"image_url": string,"is_default"?: boolean,"name": string,"position"?: number,"rarity": Database["public"]['Enums']["avatar_rarity"],"required_achievement_id"?: number | null,"slug": string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"image_url"?: string,"is_default"?: boolean,"name"?: string,"position"?: number,"rarity"?: Database["public"]['Enums']["avatar_rarity"],"required_achievement_id"?: number | null,"slug"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "avatars_required_achievement_id_fkey"
      columns: ["required_achievement_id"]
isOneToOne: false
      referencedRelation: "achievements"
      referencedColumns: ["id"]
    }
                  ]
                },"exam_domains": {
                  Row: {
                    "code": string,"exam_id": string,"id": number,"name": string,"position": number,"weight": number
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"exam_id": string,"id"?: never,"name": string,"position"?: number,"weight": number
                  }
                  Update: {
                    "code"?: string,"exam_id"?: string,"id"?: never,"name"?: string,"position"?: number,"weight"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "exam_domains_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    }
                  ]
                },"exams": {
                  Row: {
                    "code": string,"created_at": string,"description": string | null,"id": string,"is_active": boolean,"name": string,"passing_percent": number,"position": number,"seconds_per_question": number,"updated_at": string,"vendor": string
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"created_at"?: string,"description"?: string | null,"id": string,"is_active"?: boolean,"name": string,"passing_percent"?: number,"position"?: number,"seconds_per_question"?: number,"updated_at"?: string,"vendor"?: string
                  }
                  Update: {
                    "code"?: string,"created_at"?: string,"description"?: string | null,"id"?: string,"is_active"?: boolean,"name"?: string,"passing_percent"?: number,"position"?: number,"seconds_per_question"?: number,"updated_at"?: string,"vendor"?: string
                  }
                  Relationships: [
                    
                  ]
                },"learner_exam_stats": {
                  Row: {
                    "best_score": number | null,"correct_answers": number,"exam_id": string,"last_submitted_at": string | null,"qualifying_quizzes": number,"questions_answered": number,"quizzes_completed": number,"score_sum": number,"user_id": string,"xp_earned": number
                  }
                  ComputedFields: never
                  Insert: {
                    "best_score"?: number | null,"correct_answers"?: number,"exam_id": string,"last_submitted_at"?: string | null,"qualifying_quizzes"?: number,"questions_answered"?: number,"quizzes_completed"?: number,"score_sum"?: number,"user_id": string,"xp_earned"?: number
                  }
                  Update: {
                    "best_score"?: number | null,"correct_answers"?: number,"exam_id"?: string,"last_submitted_at"?: string | null,"qualifying_quizzes"?: number,"questions_answered"?: number,"quizzes_completed"?: number,"score_sum"?: number,"user_id"?: string,"xp_earned"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "learner_exam_stats_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "learner_exam_stats_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"organization_invitations": {
                  Row: {
                    "created_at": string,"email": string | null,"expires_at": string,"id": string,"invited_by": string | null,"organization_id": string,"responded_at": string | null,"responded_by": string | null,"role": Database["public"]['Enums']["org_role"],"status": Database["public"]['Enums']["invitation_status"],"token_hash": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"email"?: string | null,"expires_at": string,"id"?: string,"invited_by"?: string | null,"organization_id": string,"responded_at"?: string | null,"responded_by"?: string | null,"role"?: Database["public"]['Enums']["org_role"],"status"?: Database["public"]['Enums']["invitation_status"],"token_hash"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"email"?: string | null,"expires_at"?: string,"id"?: string,"invited_by"?: string | null,"organization_id"?: string,"responded_at"?: string | null,"responded_by"?: string | null,"role"?: Database["public"]['Enums']["org_role"],"status"?: Database["public"]['Enums']["invitation_status"],"token_hash"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "organization_invitations_invited_by_fkey"
      columns: ["invited_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "organization_invitations_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "organization_invitations_responded_by_fkey"
      columns: ["responded_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"organization_members": {
                  Row: {
                    "joined_at": string,"organization_id": string,"role": Database["public"]['Enums']["org_role"],"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "joined_at"?: string,"organization_id": string,"role"?: Database["public"]['Enums']["org_role"],"user_id": string
                  }
                  Update: {
                    "joined_at"?: string,"organization_id"?: string,"role"?: Database["public"]['Enums']["org_role"],"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "organization_members_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "organization_members_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"organizations": {
                  Row: {
                    "created_at": string,"created_by": string | null,"description": string | null,"id": string,"name": string,"slug": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"name": string,"slug": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"name"?: string,"slug"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "organizations_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"profiles": {
                  Row: {
                    "bio": string | null,"correct_answers": number,"created_at": string,"current_streak": number,"display_name": string,"first_correct_answers": number,"high_score_quizzes": number,"id": string,"last_activity_at": string | null,"last_activity_date": string | null,"level": number,"longest_streak": number,"pending_time_zone": string | null,"pending_time_zone_from": string | null,"perfect_quizzes": number,"photo_path": string | null,"questions_answered": number,"quizzes_completed": number,"selected_avatar_id": number | null,"show_on_leaderboards": boolean,"streak_time_zone": string,"time_zone": string,"updated_at": string,"username": string,"xp": number
                  }
                  ComputedFields: never
                  Insert: {
                    "bio"?: string | null,"correct_answers"?: number,"created_at"?: string,"current_streak"?: number,"display_name": string,"first_correct_answers"?: number,"high_score_quizzes"?: number,"id": string,"last_activity_at"?: string | null,"last_activity_date"?: string | null,"level"?: number,"longest_streak"?: number,"pending_time_zone"?: string | null,"pending_time_zone_from"?: string | null,"perfect_quizzes"?: number,"photo_path"?: string | null,"questions_answered"?: number,"quizzes_completed"?: number,"selected_avatar_id"?: number | null,"show_on_leaderboards"?: boolean,"streak_time_zone"?: string,"time_zone"?: string,"updated_at"?: string,"username": string,"xp"?: number
                  }
                  Update: {
                    "bio"?: string | null,"correct_answers"?: number,"created_at"?: string,"current_streak"?: number,"display_name"?: string,"first_correct_answers"?: number,"high_score_quizzes"?: number,"id"?: string,"last_activity_at"?: string | null,"last_activity_date"?: string | null,"level"?: number,"longest_streak"?: number,"pending_time_zone"?: string | null,"pending_time_zone_from"?: string | null,"perfect_quizzes"?: number,"photo_path"?: string | null,"questions_answered"?: number,"quizzes_completed"?: number,"selected_avatar_id"?: number | null,"show_on_leaderboards"?: boolean,"streak_time_zone"?: string,"time_zone"?: string,"updated_at"?: string,"username"?: string,"xp"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "profiles_selected_avatar_id_fkey"
      columns: ["selected_avatar_id"]
isOneToOne: false
      referencedRelation: "avatars"
      referencedColumns: ["id"]
    }
                  ]
                },"question_keys": {
                  Row: {
                    "correct_answer": string,"explanations": NonNullable<Json>,"question_id": number,"reference": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "correct_answer": string,"explanations": NonNullable<Json>,"question_id": number,"reference"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "correct_answer"?: string,"explanations"?: NonNullable<Json>,"question_id"?: number,"reference"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_keys_question_id_fkey"
      columns: ["question_id"]
isOneToOne: true
      referencedRelation: "questions"
      referencedColumns: ["id"]
    }
                  ]
                },"question_reports": {
                  Row: {
                    "created_at": string,"details": string | null,"id": number,"moderator_id": string | null,"moderator_note": string | null,"organization_id": string | null,"question_id": number,"reason": Database["public"]['Enums']["report_reason"],"reporter_id": string,"resolved_at": string | null,"status": Database["public"]['Enums']["report_status"]
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"details"?: string | null,"id"?: never,"moderator_id"?: string | null,"moderator_note"?: string | null,"organization_id"?: string | null,"question_id": number,"reason": Database["public"]['Enums']["report_reason"],"reporter_id"?: string,"resolved_at"?: string | null,"status"?: Database["public"]['Enums']["report_status"]
                  }
                  Update: {
                    "created_at"?: string,"details"?: string | null,"id"?: never,"moderator_id"?: string | null,"moderator_note"?: string | null,"organization_id"?: string | null,"question_id"?: number,"reason"?: Database["public"]['Enums']["report_reason"],"reporter_id"?: string,"resolved_at"?: string | null,"status"?: Database["public"]['Enums']["report_status"]
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_reports_moderator_id_fkey"
      columns: ["moderator_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_reports_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_reports_reporter_id_fkey"
      columns: ["reporter_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"question_versions": {
                  Row: {
                    "edited_at": string,"edited_by": string | null,"organization_id": string | null,"question_id": number,"snapshot": NonNullable<Json>,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "edited_at"?: string,"edited_by"?: string | null,"organization_id"?: string | null,"question_id": number,"snapshot": NonNullable<Json>,"version": number
                  }
                  Update: {
                    "edited_at"?: string,"edited_by"?: string | null,"organization_id"?: string | null,"question_id"?: number,"snapshot"?: NonNullable<Json>,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_versions_edited_by_fkey"
      columns: ["edited_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_versions_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    }
                  ]
                },"questions": {
                  Row: {
                    "answer_count": number,"correct_count": number,"created_at": string,"created_by": string | null,"difficulty": number | null,"difficulty_level": string | null,"domain_id": number,"exam_id": string,"id": number,"options": NonNullable<Json>,"organization_id": string | null,"status": Database["public"]['Enums']["question_status"],"stem": string,"updated_at": string,"updated_by": string | null,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "answer_count"?: number,"correct_count"?: number,"created_at"?: string,"created_by"?: string | null,"difficulty"?: never,"difficulty_level"?: never,"domain_id": number,"exam_id": string,"id"?: never,"options": NonNullable<Json>,"organization_id"?: string | null,"status"?: Database["public"]['Enums']["question_status"],"stem": string,"updated_at"?: string,"updated_by"?: string | null,"version"?: number
                  }
                  Update: {
                    "answer_count"?: number,"correct_count"?: number,"created_at"?: string,"created_by"?: string | null,"difficulty"?: never,"difficulty_level"?: never,"domain_id"?: number,"exam_id"?: string,"id"?: never,"options"?: NonNullable<Json>,"organization_id"?: string | null,"status"?: Database["public"]['Enums']["question_status"],"stem"?: string,"updated_at"?: string,"updated_by"?: string | null,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "questions_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "questions_domain_fkey"
      columns: ["domain_id","exam_id"]
isOneToOne: false
      referencedRelation: "exam_domains"
      referencedColumns: ["id","exam_id"]
    },{
      foreignKeyName: "questions_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "questions_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "questions_updated_by_fkey"
      columns: ["updated_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"quiz_attempt_items": {
                  Row: {
                    "attempt_id": string,"domain_id": number,"exam_id": string,"graded_at": string | null,"is_correct": boolean | null,"key_exposed": boolean,"position": number,"question_id": number,"question_version": number,"selected_answer": string | null,"time_spent_seconds": number | null,"user_id": string,"xp_awarded": number | null,"xp_rule": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempt_id": string,"domain_id": number,"exam_id": string,"graded_at"?: string | null,"is_correct"?: boolean | null,"key_exposed"?: boolean,"position": number,"question_id": number,"question_version": number,"selected_answer"?: string | null,"time_spent_seconds"?: number | null,"user_id": string,"xp_awarded"?: number | null,"xp_rule"?: string | null
                  }
                  Update: {
                    "attempt_id"?: string,"domain_id"?: number,"exam_id"?: string,"graded_at"?: string | null,"is_correct"?: boolean | null,"key_exposed"?: boolean,"position"?: number,"question_id"?: number,"question_version"?: number,"selected_answer"?: string | null,"time_spent_seconds"?: number | null,"user_id"?: string,"xp_awarded"?: number | null,"xp_rule"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "quiz_attempt_items_attempt_id_fkey"
      columns: ["attempt_id"]
isOneToOne: false
      referencedRelation: "quiz_attempts"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempt_items_domain_id_fkey"
      columns: ["domain_id"]
isOneToOne: false
      referencedRelation: "exam_domains"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempt_items_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempt_items_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"quiz_attempts": {
                  Row: {
                    "auto_submitted": boolean,"correct_count": number | null,"domain_codes": (string)[] | null,"exam_id": string,"expires_at": string | null,"id": string,"mode": Database["public"]['Enums']["quiz_mode"],"organization_id": string | null,"question_count": number,"score_percentage": number | null,"started_at": string,"status": Database["public"]['Enums']["attempt_status"],"submitted_at": string | null,"time_limit_seconds": number | null,"time_taken_seconds": number | null,"user_id": string,"xp_earned": number | null
                  }
                  ComputedFields: never
                  Insert: {
                    "auto_submitted"?: boolean,"correct_count"?: number | null,"domain_codes"?: (string)[] | null,"exam_id": string,"expires_at"?: string | null,"id"?: string,"mode"?: Database["public"]['Enums']["quiz_mode"],"organization_id"?: string | null,"question_count": number,"score_percentage"?: number | null,"started_at"?: string,"status"?: Database["public"]['Enums']["attempt_status"],"submitted_at"?: string | null,"time_limit_seconds"?: number | null,"time_taken_seconds"?: number | null,"user_id": string,"xp_earned"?: number | null
                  }
                  Update: {
                    "auto_submitted"?: boolean,"correct_count"?: number | null,"domain_codes"?: (string)[] | null,"exam_id"?: string,"expires_at"?: string | null,"id"?: string,"mode"?: Database["public"]['Enums']["quiz_mode"],"organization_id"?: string | null,"question_count"?: number,"score_percentage"?: number | null,"started_at"?: string,"status"?: Database["public"]['Enums']["attempt_status"],"submitted_at"?: string | null,"time_limit_seconds"?: number | null,"time_taken_seconds"?: number | null,"user_id"?: string,"xp_earned"?: number | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "quiz_attempts_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempts_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempts_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"team_members": {
                  Row: {
                    "added_at": string,"organization_id": string,"team_id": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "added_at"?: string,"organization_id": string,"team_id": string,"user_id": string
                  }
                  Update: {
                    "added_at"?: string,"organization_id"?: string,"team_id"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "team_members_member_fkey"
      columns: ["organization_id","user_id"]
isOneToOne: false
      referencedRelation: "organization_members"
      referencedColumns: ["organization_id","user_id"]
    },{
      foreignKeyName: "team_members_team_fkey"
      columns: ["team_id","organization_id"]
isOneToOne: false
      referencedRelation: "teams"
      referencedColumns: ["id","organization_id"]
    }
                  ]
                },"teams": {
                  Row: {
                    "created_at": string,"description": string | null,"id": string,"kind": Database["public"]['Enums']["team_kind"],"name": string,"organization_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["team_kind"],"name": string,"organization_id": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["team_kind"],"name"?: string,"organization_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "teams_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"training_chunks": {
                  Row: {
                    "category": string,"content": string,"document_id": string,"fts": unknown,"id": number,"organization_id": string,"position": number
                  }
                  ComputedFields: never
                  Insert: {
                    "category": string,"content": string,"document_id": string,"fts"?: never,"id"?: never,"organization_id": string,"position": number
                  }
                  Update: {
                    "category"?: string,"content"?: string,"document_id"?: string,"fts"?: never,"id"?: never,"organization_id"?: string,"position"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_chunks_document_id_fkey"
      columns: ["document_id"]
isOneToOne: false
      referencedRelation: "training_documents"
      referencedColumns: ["id"]
    }
                  ]
                },"training_documents": {
                  Row: {
                    "byte_size": number,"category": string,"character_count": number,"chunk_count": number,"created_at": string,"file_name": string | null,"id": string,"organization_id": string,"source_kind": string,"title": string,"uploaded_by": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "byte_size": number,"category": string,"character_count": number,"chunk_count": number,"created_at"?: string,"file_name"?: string | null,"id"?: string,"organization_id": string,"source_kind": string,"title": string,"uploaded_by"?: string | null
                  }
                  Update: {
                    "byte_size"?: number,"category"?: string,"character_count"?: number,"chunk_count"?: number,"created_at"?: string,"file_name"?: string | null,"id"?: string,"organization_id"?: string,"source_kind"?: string,"title"?: string,"uploaded_by"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_documents_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_documents_uploaded_by_fkey"
      columns: ["uploaded_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"user_achievements": {
                  Row: {
                    "achievement_id": number,"earned_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "achievement_id": number,"earned_at"?: string,"user_id": string
                  }
                  Update: {
                    "achievement_id"?: number,"earned_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "user_achievements_achievement_id_fkey"
      columns: ["achievement_id"]
isOneToOne: false
      referencedRelation: "achievements"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "user_achievements_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"user_avatars": {
                  Row: {
                    "avatar_id": number,"source": string,"unlocked_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "avatar_id": number,"source"?: string,"unlocked_at"?: string,"user_id": string
                  }
                  Update: {
                    "avatar_id"?: number,"source"?: string,"unlocked_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "user_avatars_avatar_id_fkey"
      columns: ["avatar_id"]
isOneToOne: false
      referencedRelation: "avatars"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "user_avatars_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"xp_events": {
                  Row: {
                    "achievement_id": number | null,"amount": number,"attempt_id": string | null,"created_at": string,"id": number,"note": string | null,"organization_id": string | null,"source": Database["public"]['Enums']["xp_source"],"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "achievement_id"?: number | null,"amount": number,"attempt_id"?: string | null,"created_at"?: string,"id"?: never,"note"?: string | null,"organization_id"?: string | null,"source": Database["public"]['Enums']["xp_source"],"user_id": string
                  }
                  Update: {
                    "achievement_id"?: number | null,"amount"?: number,"attempt_id"?: string | null,"created_at"?: string,"id"?: never,"note"?: string | null,"organization_id"?: string | null,"source"?: Database["public"]['Enums']["xp_source"],"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "xp_events_achievement_id_fkey"
      columns: ["achievement_id"]
isOneToOne: false
      referencedRelation: "achievements"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "xp_events_attempt_id_fkey"
      columns: ["attempt_id"]
isOneToOne: false
      referencedRelation: "quiz_attempts"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "xp_events_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "xp_events_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                }
          }
          Views: {
            [_ in never]: never
          }
          Functions: {
            "accept_invitation":
{ Args: { "p_invitation"?: string,"p_token"?: string }; Returns: Json
                           },
"add_training_document":
{ Args: { "p_byte_size"?: number,"p_category": string,"p_chunks": (string)[],"p_file_name"?: string,"p_organization": string,"p_source_kind": string,"p_title": string }; Returns: Json
                           },
"admin_adjust_xp":
{ Args: { "p_amount": number,"p_note": string,"p_user": string }; Returns: Json
                           },
"create_organization":
{ Args: { "p_description"?: string,"p_name": string,"p_slug": string }; Returns: {
              "created_at": string,
"created_by": string | null,
"description": string | null,
"id": string,
"name": string,
"slug": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "organizations"
        isOneToOne: true
        isSetofReturn: false
      } },
"custom_access_token_hook":
{ Args: { "event": Json }; Returns: Json
                           },
"decline_invitation":
{ Args: { "p_invitation"?: string,"p_token"?: string }; Returns: Json
                           },
"equip_avatar":
{ Args: { "p_avatar_id": number }; Returns: Json
                           },
"get_accuracy_trend":
{ Args: { "p_exam"?: string,"p_user"?: string,"p_weeks"?: number }; Returns: {
              "accuracy": number,"correct_answers": number,"questions_answered": number,"quizzes": number,"week_start": string
            }[]
                           },
"get_active_quiz":
{ Args: { "p_exam"?: string }; Returns: Json
                           },
"get_attempt_review":
{ Args: { "p_attempt": string }; Returns: Json
                           },
"get_avatar_collection":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"get_cohort_overview":
{ Args: { "p_exam"?: string,"p_organization": string,"p_team"?: string }; Returns: {
              "accuracy_last_30_days": number,"accuracy_previous_30_days": number,"at_risk": boolean,"avatar_url": string,"current_streak": number,"display_name": string,"last_activity_date": string,"level": number,"questions_last_30_days": number,"quizzes_last_30_days": number,"readiness": number,"risk_reasons": (string)[],"user_id": string,"username": string,"xp": number
            }[]
                           },
"get_daily_activity":
{ Args: { "p_days"?: number,"p_user"?: string }; Returns: {
              "correct_answers": number,"day": string,"questions_answered": number,"quizzes": number,"seconds_studied": number,"xp_earned": number
            }[]
                           },
"get_domain_performance":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: {
              "accuracy": number,"answered": number,"correct": number,"domain_code": string,"domain_id": number,"domain_name": string,"weight": number
            }[]
                           },
"get_exam_readiness":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: Json
                           },
"get_exam_stats":
{ Args: { "p_user"?: string }; Returns: {
              "accuracy": number,"average_score": number,"best_score": number,"correct_answers": number,"exam_id": string,"exam_name": string,"last_submitted_at": string,"questions_answered": number,"quizzes_completed": number,"xp_earned": number
            }[]
                           },
"get_leaderboard":
{ Args: { "p_board": Database["public"]['Enums']["leaderboard_board"],"p_exam"?: string,"p_limit"?: number,"p_offset"?: number,"p_organization"?: string,"p_period"?: Database["public"]['Enums']["leaderboard_period"] }; Returns: Json
                           },
"get_my_achievements":
{ Args: Record<PropertyKey, never>; Returns: {
              "badge_icon": string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"earned": boolean,"earned_at": string,"exam_id": string,"id": number,"is_hidden": boolean,"name": string,"progress": number,"progress_percent": number,"slug": string,"xp_reward": number
            }[]
                           },
"get_my_invitations":
{ Args: Record<PropertyKey, never>; Returns: {
              "created_at": string,"expires_at": string,"invitation_id": string,"invited_by_display_name": string,"organization_id": string,"organization_name": string,"organization_slug": string,"role": Database["public"]['Enums']["org_role"]
            }[]
                           },
"get_quiz_history":
{ Args: { "p_exam"?: string,"p_from"?: string,"p_limit"?: number,"p_mode"?: Database["public"]['Enums']["quiz_mode"],"p_offset"?: number,"p_to"?: string }; Returns: Json
                           },
"get_study_recommendations":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: Json
                           },
"get_weak_areas":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: {
              "accuracy": number,"answered": number,"domain_code": string,"domain_id": number,"domain_name": string,"priority": string,"weight": number
            }[]
                           },
"import_invitations":
{ Args: { "p_dry_run"?: boolean,"p_organization": string,"p_rows": Json }; Returns: Json
                           },
"import_questions":
{ Args: { "p_dry_run"?: boolean,"p_organization": string,"p_rows": Json }; Returns: Json
                           },
"invite_to_organization":
{ Args: { "p_email"?: string,"p_expires_in_days"?: number,"p_organization": string,"p_role"?: Database["public"]['Enums']["org_role"] }; Returns: Json
                           },
"refresh_leaderboards":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"revoke_invitation":
{ Args: { "p_invitation": string }; Returns: Json
                           },
"save_question":
{ Args: { "p_question": Json }; Returns: {
              "answer_count": number,
"correct_count": number,
"created_at": string,
"created_by": string | null,
"difficulty": number | null,
"difficulty_level": string | null,
"domain_id": number,
"exam_id": string,
"id": number,
"options": NonNullable<Json>,
"organization_id": string | null,
"status": Database["public"]['Enums']["question_status"],
"stem": string,
"updated_at": string,
"updated_by": string | null,
"version": number
            }
                          SetofOptions: {
        from: "*"
        to: "questions"
        isOneToOne: true
        isSetofReturn: false
      } },
"save_quiz_answer":
{ Args: { "p_answer": string,"p_attempt": string,"p_question_id": number,"p_time_spent_seconds"?: number }; Returns: Json
                           },
"search_training_material":
{ Args: { "p_category"?: string,"p_limit"?: number,"p_organization": string,"p_query": string }; Returns: {
              "category": string,"chunk_id": number,"chunk_position": number,"content": string,"document_id": string,"rank": number,"snippet": string,"title": string
            }[]
                           },
"set_profile_photo":
{ Args: { "p_path": string }; Returns: Json
                           },
"start_quiz":
{ Args: { "p_count"?: number,"p_domains"?: (string)[],"p_exam": string,"p_mode"?: Database["public"]['Enums']["quiz_mode"],"p_organization"?: string,"p_time_limit_seconds"?: number }; Returns: Json
                           },
"submit_quiz":
{ Args: { "p_answers"?: Json,"p_attempt": string }; Returns: Json
                           },
"xp_for_level":
{ Args: { "p_level": number }; Returns: number
                           }
          }
          Enums: {
            "achievement_criteria": "quiz_completed"|"perfect_quiz"|"high_score_quiz"|"correct_answers"|"study_streak"|"level_reached"|"exam_specific","attempt_status": "in_progress"|"submitted"|"abandoned","avatar_rarity": "common"|"rare"|"epic"|"legendary","invitation_status": "pending"|"accepted"|"declined"|"revoked","leaderboard_board": "xp"|"quiz_count"|"accuracy"|"streak"|"exam","leaderboard_period": "all_time"|"monthly"|"weekly","org_role": "owner"|"admin"|"instructor"|"learner","question_status": "draft"|"published"|"retired","quiz_mode": "practice"|"weak_areas"|"review","report_reason": "incorrect_answer"|"unclear"|"typo"|"outdated"|"other","report_status": "open"|"accepted"|"rejected"|"resolved","team_kind": "team"|"cohort","xp_source": "quiz"|"accuracy_bonus"|"achievement"|"adjustment"
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            "achievement_criteria": ["quiz_completed", "perfect_quiz", "high_score_quiz", "correct_answers", "study_streak", "level_reached", "exam_specific"],"attempt_status": ["in_progress", "submitted", "abandoned"],"avatar_rarity": ["common", "rare", "epic", "legendary"],"invitation_status": ["pending", "accepted", "declined", "revoked"],"leaderboard_board": ["xp", "quiz_count", "accuracy", "streak", "exam"],"leaderboard_period": ["all_time", "monthly", "weekly"],"org_role": ["owner", "admin", "instructor", "learner"],"question_status": ["draft", "published", "retired"],"quiz_mode": ["practice", "weak_areas", "review"],"report_reason": ["incorrect_answer", "unclear", "typo", "outdated", "other"],"report_status": ["open", "accepted", "rejected", "resolved"],"team_kind": ["team", "cohort"],"xp_source": ["quiz", "accuracy_bonus", "achievement", "adjustment"]
          }
        }
} as const
